"""The applicant's side of an evidence request: one page behind a single-use link."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from ier.ero import audit, evidence
from ier.ero.access import public
from ier.ero.forms import EvidenceUploadForm

FIELDS = ["document", "document_2", "document_3"]


def _checked_files(form: EvidenceUploadForm) -> list[tuple[bytes, str]]:
    checked = []
    for name in FIELDS:
        upload = form.cleaned_data.get(name)
        if upload is None:
            continue
        try:
            checked.append(evidence.checked_content(upload))
        except evidence.Unacceptable as problem:
            form.add_error(name, str(problem))
    return checked


@public
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, token: str) -> HttpResponse:
    """Protected by the unguessable, expiring, single-use token in the link."""
    found = evidence.open_request(token)
    if found is None:
        return _no_longer_works(request, 404)
    with translation.override(found.application.language or "en"):
        if request.method == "POST" and not evidence.may_try_again(found):
            return _no_longer_works(request, 429)
        form = EvidenceUploadForm(
            data=request.POST or None, files=request.FILES or None
        )
        if request.method == "POST" and form.is_valid():
            checked = _checked_files(form)
            if not form.errors:
                if not _keep(found.pk, checked):
                    return _no_longer_works(request, 404)
                return render(request, "ero/evidence_done.html", {})
        return render(
            request,
            "ero/evidence_upload.html",
            {"form": form},
            status=400 if form.errors else 200,
        )


def _no_longer_works(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "ero/evidence_expired.html", {}, status=status)


@transaction.atomic
def _keep(request_id: int, checked: list[tuple[bytes, str]]) -> bool:
    """Keep the files, unless another upload on the same link got there first: the
    link's row is locked until this one is recorded, so of two uploads sent at once
    exactly one is kept."""
    found = evidence.locked_request(request_id)
    if found is None:
        return False
    for data, content_type in checked:
        evidence.store(found, data, content_type)
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    audit.record(
        found.authority,
        "applicant",
        "evidence_upload",
        reference=found.application.reference,
        detail={"files": len(checked)},
    )
    return True
