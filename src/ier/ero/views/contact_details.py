"""Managers keep the electoral services contact details citizens are given for their
council current: on the confirmation and status pages, the contact page and in every
email, read afresh each time (nothing holds them in a process cache)."""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ier.ero import audit
from ier.ero.access import OfficerRequest, manager_required
from ier.ero.forms import ContactDetailsForm
from ier.geography.models import Authority, RegistrationOffice

Holder = Authority | RegistrationOffice


def _held(holder: Holder) -> dict[str, str]:
    return {name: getattr(holder, name) for name in holder.CONTACT_FIELDS}


@manager_required
@require_http_methods(["GET", "POST"])
def contact_details(request: OfficerRequest) -> HttpResponse:
    """The manager's own council only: the page takes no council from the address.
    Where an office runs registration for several councils (Scotland), its details
    are the ones citizens are given, so those are what the page changes."""
    holder = request.officer.authority.contact_holder
    if request.method == "POST":
        form = ContactDetailsForm(data=request.POST)
        if form.is_valid():
            _save(request, holder, form.cleaned_data)
            return redirect("%s?saved=1" % request.path)
    else:
        form = ContactDetailsForm(initial=_held(holder))
    return render(
        request,
        "ero/contact_details.html",
        {
            "form": form,
            "holder": holder,
            "saved": request.method == "GET" and "saved" in request.GET,
        },
        status=400 if form.errors else 200,
    )


@transaction.atomic
def _save(request: OfficerRequest, holder: Holder, cleaned: dict) -> None:
    # Locked, so a reload of the councils file (which locks the same rows) cannot
    # read the row before this change and write over it after.
    locked = type(holder).objects.select_for_update().get(pk=holder.pk)
    before = _held(locked)
    changed = {
        name: [before[name], cleaned[name]]
        for name in locked.CONTACT_FIELDS
        if before[name] != cleaned[name]
    }
    for name in locked.CONTACT_FIELDS:
        setattr(locked, name, cleaned[name])
    locked.contact_updated_at = timezone.now()
    locked.contact_updated_by = request.user
    locked.save()
    audit.record_portal(
        request,
        "contact_update",
        detail={"holder": str(locked), "changed": changed},
    )
