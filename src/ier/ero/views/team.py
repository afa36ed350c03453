"""Managers invite and remove the officers of their own authority."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ier.core.paths import service_link
from ier.ero import audit
from ier.ero.access import OfficerRequest, manager_required
from ier.ero.forms import InviteForm
from ier.ero.links import token_hash
from ier.ero.models import Invitation, Officer


def _team(request: OfficerRequest, form: InviteForm, status: int = 200) -> HttpResponse:
    officers = (
        Officer.objects.for_authority(request.officer.authority)
        .select_related("user", "invitation")
        .order_by("user__username")
    )
    return render(
        request, "ero/team.html", {"form": form, "officers": officers}, status=status
    )


@manager_required
@require_http_methods(["GET", "POST"])
def team(request: OfficerRequest) -> HttpResponse:
    form = InviteForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if get_user_model().objects.filter(username__iexact=email).exists():
            form.add_error(
                "email", _("Someone with this email address already has an account")
            )
        else:
            _invite(request, email, form.cleaned_data["role"])
            return redirect("ero:team")
    return _team(request, form, 400 if form.errors else 200)


@transaction.atomic
def _invite(request: OfficerRequest, email: str, role: str) -> None:
    user = get_user_model().objects.create_user(username=email, email=email)
    officer = Officer.objects.create(
        user=user,
        authority=request.officer.authority,
        role=role,
        invited_by=request.user,
    )
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        officer=officer,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.ERO_INVITATION_DAYS),
    )
    link = service_link(reverse("ero:invitation", args=[token]))
    body = _(
        "You have been invited to the electoral registration officers' portal for "
        "%(authority)s.\n\nSet your password and authenticator app here within "
        "%(days)d days:\n%(link)s"
    ) % {
        "authority": officer.authority.name,
        "days": settings.ERO_INVITATION_DAYS,
        "link": link,
    }
    transaction.on_commit(
        lambda: send_mail(
            _("Your invitation to the officers' portal"), body, None, [email]
        )
    )
    audit.record_portal(
        request, "officer_invite", detail={"officer": officer.pk, "role": role}
    )


@manager_required
@require_POST
def remove_officer(request: OfficerRequest, officer_id: int) -> HttpResponse:
    officer = (
        Officer.objects.for_authority(request.officer.authority)
        .select_related("user")
        .filter(pk=officer_id)
        .first()
    )
    if officer is None or officer.pk == request.officer.pk:
        raise Http404
    with transaction.atomic():
        user = officer.user
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        officer.delete()
    audit.record_portal(request, "officer_remove", detail={"officer": officer_id})
    return redirect("ero:team")
