"""What an officer can do to an application: note, decide, ask for evidence, open
the evidence sent."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ier.ero import audit, evidence
from ier.ero.access import OfficerRequest, officer_required
from ier.ero.forms import DeterminationForm, EvidenceRequestForm, NoteForm
from ier.ero.models import EvidenceFile, Note
from ier.ero.views.applications import application_context, scoped_application
from ier.registration.handover import HandoverError, determine
from ier.registration.models import Status


def _back(reference: str, anchor: str) -> HttpResponse:
    response = redirect("ero:application", reference=reference)
    response["Location"] += "#" + anchor
    return response


def _again(request, application, **forms) -> HttpResponse:
    return render(
        request,
        "ero/application.html",
        application_context(request, application, **forms),
        status=400,
    )


@officer_required
@require_POST
def add_note(request: OfficerRequest, reference: str) -> HttpResponse:
    application = scoped_application(request, reference)
    form = NoteForm(data=request.POST)
    if not form.is_valid():
        return _again(request, application, note_form=form)
    Note.objects.create(
        application=application,
        authority=request.officer.authority,
        author=request.user.get_username(),
        text=form.cleaned_data["text"],
    )
    audit.record_portal(request, "note", reference=application.reference)
    return _back(reference, "notes")


@officer_required
@require_POST
def record_determination(request: OfficerRequest, reference: str) -> HttpResponse:
    application = scoped_application(request, reference)
    form = DeterminationForm(data=request.POST)
    if form.is_valid():
        try:
            determine(
                request.officer.authority,
                application.reference,
                form.cleaned_data["outcome"],
                form.cleaned_data["decided_on"],
                form.cleaned_data["reason"],
                "officer:%s" % request.user.get_username(),
            )
        except HandoverError as error:
            form.add_error("outcome", str(error))
    if form.errors:
        return _again(request, application, determination_form=form)
    audit.record_portal(
        request,
        "determination",
        reference=application.reference,
        detail={"outcome": form.cleaned_data["outcome"]},
    )
    return _back(reference, "history")


@officer_required
@require_POST
def request_evidence(request: OfficerRequest, reference: str) -> HttpResponse:
    application = scoped_application(request, reference)
    form = EvidenceRequestForm(data=request.POST)
    if form.is_valid() and not application.email:
        form.add_error(
            "message",
            _(
                "The applicant gave no email address. Write to them "
                "at their address instead"
            ),
        )
    if form.is_valid() and application.status not in Status.WITH_COUNCIL:
        form.add_error(
            "message",
            _("Evidence can be asked for once the application is with the council"),
        )
    if form.errors:
        return _again(request, application, evidence_form=form)
    officer_name = request.user.get_username()
    determine(
        request.officer.authority,
        application.reference,
        Status.EVIDENCE_REQUESTED,
        timezone.localdate(),
        "",
        "officer:%s" % officer_name,
    )
    evidence.create_request(
        application,
        form.cleaned_data["message"],
        officer_name,
    )
    audit.record_portal(request, "evidence_request", reference=application.reference)
    return _back(reference, "evidence")


@officer_required
def evidence_file(
    request: OfficerRequest, reference: str, file_id: int
) -> HttpResponse:
    application = scoped_application(request, reference)
    found = get_object_or_404(
        EvidenceFile.objects.for_authority(request.officer.authority),
        pk=file_id,
        application=application,
    )
    audit.record_portal(
        request,
        "evidence_view",
        reference=application.reference,
        detail={"file": found.pk},
    )
    extension = {"image/jpeg": "jpg", "image/png": "png"}.get(found.content_type, "pdf")
    response = HttpResponse(evidence.read(found), content_type=found.content_type)
    # Always a download, never shown in the portal's origin; were a browser to show
    # it anyway, the sandbox keeps a PDF's scripts from running as the portal.
    response["Content-Disposition"] = 'attachment; filename="evidence-%s.%s"' % (
        found.pk,
        extension,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
