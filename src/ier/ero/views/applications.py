"""Finding applications, reading one, and exporting a list."""

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from ier.api.present import application_document
from ier.ero import audit
from ier.ero.access import officer_required
from ier.ero.forms import DeterminationForm, EvidenceRequestForm, NoteForm, SearchForm
from ier.ero.models import EvidenceFile, EvidenceRequest, Note
from ier.ero.queue import search
from ier.registration.models import Application, Status

PAGE_SIZE = 50
EXPORT_COLUMNS = [
    "reference",
    "status",
    "submitted_at",
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "address_line_1",
    "address_town",
    "address_postcode",
    "possible_duplicate",
    "nino_reused",
]
DETERMINABLE = {Status.DOWNLOADED, Status.EVIDENCE_REQUESTED}


def _filtered(request: HttpRequest):
    form = SearchForm(data=request.GET or None)
    text = status = ""
    if form.is_valid():
        text, status = form.cleaned_data["q"].strip(), form.cleaned_data["status"]
    return (
        form,
        search(request.officer.authority, text, status),
        {"q": text, "status": status},
    )


@officer_required
def application_list(request: HttpRequest) -> HttpResponse:
    form, queryset, filters = _filtered(request)
    page = Paginator(
        queryset.only(*EXPORT_COLUMNS, "pk", "status"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    audit.record_portal(
        request,
        "list",
        detail={
            "filters": filters,
            "references": [a.reference for a in page.object_list],
        },
    )
    return render(
        request,
        "ero/applications.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "searching": bool(filters["q"] or filters["status"]),
        },
    )


def _csv_safe(value) -> str:
    # A cell starting with these would run as a formula in a spreadsheet.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@officer_required
def export_csv(request: HttpRequest) -> HttpResponse:
    _form, queryset, filters = _filtered(request)
    rows = queryset.values_list(*EXPORT_COLUMNS)
    audit.record_portal(
        request, "export", detail={"filters": filters, "count": rows.count()}
    )
    writer = csv.writer(_Echo())
    lines = (writer.writerow([_csv_safe(v) for v in row]) for row in rows.iterator())
    response = StreamingHttpResponse(
        (line for part in ([writer.writerow(EXPORT_COLUMNS)], lines) for line in part),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="applications.csv"'
    return response


def scoped_application(request: HttpRequest, reference: str) -> Application:
    application = (
        Application.objects.for_authority(request.officer.authority)
        .select_related("authority")
        .filter(reference=reference)
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_context(
    request: HttpRequest, application: Application, **forms
) -> dict:
    authority = request.officer.authority
    return {
        "application": application,
        "document": application_document(application),
        "events": list(application.events.all()),
        "notes": Note.objects.for_authority(authority).filter(application=application),
        "evidence_requests": EvidenceRequest.objects.for_authority(authority)
        .filter(application=application)
        .order_by("-requested_at"),
        "evidence_files": EvidenceFile.objects.for_authority(authority).filter(
            application=application
        ),
        "can_determine": application.status in DETERMINABLE,
        "note_form": forms.get("note_form") or NoteForm(),
        "determination_form": forms.get("determination_form") or DeterminationForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceRequestForm(),
        "has_errors": any(f.errors for f in forms.values()),
    }


@officer_required
def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    application = scoped_application(request, reference)
    audit.record_portal(request, "view", reference=application.reference)
    return render(
        request, "ero/application.html", application_context(request, application)
    )
