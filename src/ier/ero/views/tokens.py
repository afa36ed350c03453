"""Managers make and revoke the tokens their EMS uses."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ier.api import tokens
from ier.api.models import ApiToken
from ier.ero import audit
from ier.ero.access import OfficerRequest, manager_required
from ier.ero.forms import TokenForm


@manager_required
@require_http_methods(["GET", "POST"])
def token_list(request: OfficerRequest) -> HttpResponse:
    authority = request.officer.authority
    form = TokenForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token, secret = tokens.create_token(
            authority, form.cleaned_data["name"], created_by=request.user
        )
        audit.record_portal(request, "token_create", detail={"token": token.prefix})
        # Shown once, on this response only: it is never stored or shown again.
        return render(
            request, "ero/token_created.html", {"token": token, "secret": secret}
        )
    return render(
        request,
        "ero/tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.for_authority(authority),
        },
        status=400 if form.errors else 200,
    )


@manager_required
@require_POST
def revoke_token(request: OfficerRequest, token_id: int) -> HttpResponse:
    token = (
        ApiToken.objects.for_authority(request.officer.authority)
        .filter(pk=token_id)
        .first()
    )
    if token is None:
        raise Http404
    tokens.revoke(token)
    audit.record_portal(request, "token_revoke", detail={"token": token.prefix})
    return redirect("ero:tokens")
