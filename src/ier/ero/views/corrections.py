"""An officer corrects an application's details, or asks the applicant to (issue
20). Both pages belong to one application of the officer's council."""

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ier.ero import audit, correction_links
from ier.ero.access import OfficerRequest, officer_required
from ier.ero.correction_forms import TYPED, CorrectionRequestForm, OfficerCorrectionForm
from ier.ero.views.applications import scoped_application
from ier.registration import corrections
from ier.registration.models import Application, CorrectionSource, Status
from ier.verification.intake import after_correction


def _initial(application: Application) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(application, name, "") for name in TYPED}
    initial["nino"] = application.nino
    initial["nationalities"] = ", ".join(application.nationalities or [])
    initial["date_of_birth"] = application.date_of_birth
    return initial


def _typed(value: Any) -> str:
    return " ".join(str(value or "").split())


def _changes(form: OfficerCorrectionForm, initial: dict[str, Any]) -> dict[str, Any]:
    """What the officer changed; lines of an address typed anew drop its UPRN."""
    changed: dict[str, Any] = {}
    for name in TYPED:
        value = form.cleaned_data.get(name)
        if _typed(value) != _typed(initial.get(name)):
            changed[name] = (
                [c for c in value.replace(",", " ").split() if c]
                if name == "nationalities" and value
                else value
            )
    value = form.cleaned_data.get("date_of_birth")
    if value is not None and value != initial.get("date_of_birth"):
        changed["date_of_birth"] = value
    for prefix, uprn in (("address_", "address_uprn"), ("previous_", "previous_uprn")):
        if any(n.startswith(prefix) for n in changed):
            changed[uprn] = None
    return changed


def _correctable(application: Application) -> bool:
    return application.status not in Status.DECIDED


@officer_required
@require_http_methods(["GET", "POST"])
def correct(request: OfficerRequest, reference: str) -> HttpResponse:
    application = scoped_application(request, reference)
    if not _correctable(application):
        return redirect("ero:application", reference=application.reference)
    initial = _initial(application)
    if request.method == "GET":
        audit.record_portal(request, "correction_view", reference=reference)
        form = OfficerCorrectionForm(initial=initial)
        return _page(request, application, form)
    form = OfficerCorrectionForm(data=request.POST, initial=initial)
    if form.is_valid():
        changes = _changes(form, initial)
        if not changes:
            form.add_error(None, _("Change at least one detail, or cancel"))
        else:
            try:
                outcome = corrections.correct(
                    request.officer.authority,
                    application.reference,
                    changes,
                    form.cleaned_data["reason"],
                    "officer:%s" % request.user.get_username(),
                    CorrectionSource.OFFICER,
                    after_correction,
                )
            except corrections.Invalid as invalid:
                form.add_domain_errors(invalid.errors)
            except corrections.CorrectionError as refused:
                form.add_error(None, str(refused))
            else:
                audit.record_portal(
                    request,
                    "correction",
                    reference=application.reference,
                    detail={"fields": list(outcome.correction.fields)},
                )
                response = redirect("ero:application", reference=reference)
                response["Location"] += "#corrections"
                return response
    return _page(request, application, form, status=400)


def _page(request, application, form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "ero/correct.html",
        {"application": application, "form": form},
        status=status,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def ask_applicant(request: OfficerRequest, reference: str) -> HttpResponse:
    application = scoped_application(request, reference)
    if not _correctable(application):
        return redirect("ero:application", reference=application.reference)
    form = CorrectionRequestForm(
        data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid() and not application.email:
        form.add_error(
            "groups",
            _(
                "The applicant gave no email address. Write to them "
                "at their address instead"
            ),
        )
    if request.method == "POST" and form.is_valid():
        groups = form.cleaned_data["groups"]
        correction_links.create_request(
            application,
            groups,
            form.cleaned_data["message"],
            request.user.get_username(),
        )
        audit.record_portal(
            request,
            "correction_request",
            reference=application.reference,
            detail={"groups": groups},
        )
        response = redirect("ero:application", reference=reference)
        response["Location"] += "#corrections"
        return response
    return render(
        request,
        "ero/correction_request.html",
        {
            "application": application,
            "form": form,
            "link_days": settings.CORRECTION_LINK_DAYS,
        },
        status=400 if form.errors else 200,
    )
