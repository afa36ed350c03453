"""The applicant's side of a correction request: one page behind a single-use,
expiring link, in the language they applied in, showing only the details the
officer chose (issue 20)."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from ier.ero import audit, correction_links
from ier.ero.access import public
from ier.ero.correction_forms import ApplicantCorrectionForm
from ier.registration import corrections
from ier.registration.models import CorrectionSource
from ier.verification.intake import after_correction

REASON = "Corrected by the applicant through the council's correction link"


@public
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, token: str) -> HttpResponse:
    """Protected by the unguessable, expiring, single-use token in the link."""
    found = correction_links.open_request(token)
    if found is None:
        return _no_longer_works(request, 404)
    with translation.override(found.application.language or "en"):
        if request.method == "POST" and not correction_links.may_try_again(found):
            return _no_longer_works(request, 429)
        form = ApplicantCorrectionForm(
            data=request.POST if request.method == "POST" else None,
            groups=list(found.groups),
        )
        if request.method == "POST" and form.is_valid():
            values = {
                name: form.cleaned_data[name]
                for name in form.fields
                if name in corrections.FIELDS
            }
            kept = _keep(found.pk, values, form)
            if kept is None:
                return _no_longer_works(request, 404)
            if kept:
                return render(request, "registration/correction/done.html", {})
        return render(
            request,
            "registration/correction/applicant.html",
            {"form": form, "message": found.message},
            status=400 if form.errors else 200,
        )


def _no_longer_works(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "registration/correction/expired.html", {}, status=status)


@transaction.atomic
def _keep(
    request_id: int, values: dict[str, Any], form: ApplicantCorrectionForm
) -> bool | None:
    """Correct the application, unless another use of the same link got there
    first (None): the link's row is locked until this one is recorded. False when
    the values are refused (the form then carries the messages)."""
    found = correction_links.locked_request(request_id)
    if found is None:
        return None
    fields: list[str] = []
    try:
        outcome = corrections.correct(
            found.authority,
            found.application.reference,
            values,
            REASON,
            "applicant",
            CorrectionSource.APPLICANT,
            after_correction,
        )
        fields = list(outcome.correction.fields)
    except corrections.Invalid as invalid:
        form.add_domain_errors(invalid.errors)
        return False
    except corrections.NotCorrectable:
        return None  # decided since the link was sent
    except corrections.NothingChanged:
        pass  # the details were right: the council is told so below
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    audit.record(
        found.authority,
        "applicant",
        "correction_by_applicant",
        reference=found.application.reference,
        detail={"request": found.pk, "fields": fields},
    )
    return True
