"""Finding applications, reading one, and exporting a list."""

import csv
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ier.ero import audit, searches
from ier.ero.access import OfficerRequest, officer_required
from ier.ero.forms import DeterminationForm, EvidenceRequestForm, NoteForm, SearchForm
from ier.ero.models import CorrectionRequest, EvidenceFile, EvidenceRequest, Note
from ier.ero.queue import search
from ier.registration.document import application_document
from ier.registration.models import Application, Correction, Status

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
    "channel",
    "council_reference",
]
#: What the results table shows: no encrypted column, so nothing is decrypted per row.
LIST_COLUMNS = [
    "pk",
    "reference",
    "status",
    "submitted_at",
    "first_name",
    "middle_names",
    "last_name",
    "address_postcode",
    "possible_duplicate",
    "channel",
]


def _criteria(request: HttpRequest) -> tuple[searches.Criteria, str, bool]:
    """The criteria a results page or export stands for, its search id, and whether
    the search it names has been forgotten (another session's, or too old)."""
    search_id = request.GET.get("s", "")
    if search_id:
        criteria = searches.load(request.session, search_id)
        if criteria is None:
            return searches.Criteria(), "", True
        return criteria, search_id, False
    status = request.GET.get("status", "")
    return (
        searches.Criteria(status=status if status in Status.values else ""),
        "",
        False,
    )


def results_url(query: str) -> str:
    base = reverse("ero:applications")
    return "%s?%s" % (base, query) if query else base


def _search_form(criteria: searches.Criteria) -> SearchForm:
    return SearchForm(initial={"q": criteria.text, "status": criteria.status})


@officer_required
@require_http_methods(["GET", "POST"])
def application_list(request: OfficerRequest) -> HttpResponse:
    """Results of a search sent by POST are shown at a URL naming only the search's
    id (post, redirect, get), so the search text never reaches a URL or a log."""
    if request.method == "POST":
        form = SearchForm(data=request.POST)
        if form.is_valid():
            criteria = searches.Criteria(
                text=form.cleaned_data["q"].strip(),
                status=form.cleaned_data["status"],
            )
            query = searches.list_query(
                searches.save(request.session, criteria) if criteria.text else "",
                criteria.status,
            )
            return redirect(results_url(query))
        criteria, search_id, forgotten = searches.Criteria(), "", False
    else:
        criteria, search_id, forgotten = _criteria(request)
        form = _search_form(criteria)
    queryset = search(request.officer.authority, criteria.text, criteria.status)
    page = Paginator(queryset.only(*LIST_COLUMNS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit.record_portal(
        request,
        "list",
        detail={
            "search": searches.audit_detail(criteria),
            "references": [a.reference for a in page.object_list],
        },
    )
    searches.remember_results(
        request.session,
        searches.list_query(search_id, criteria.status, page.number),
    )
    return render(
        request,
        "ero/applications.html",
        {
            "form": form,
            "page": page,
            "query": searches.list_query(search_id, criteria.status),
            "searching": criteria.searching,
            "forgotten": forgotten,
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
def export_csv(request: OfficerRequest) -> HttpResponseBase:
    criteria, _search_id, forgotten = _criteria(request)
    if forgotten:
        # The results page asks the officer to search again.
        return redirect(results_url(urlencode({"s": request.GET["s"]})))
    queryset = search(request.officer.authority, criteria.text, criteria.status)
    rows = queryset.values_list(*EXPORT_COLUMNS)
    audit.record_portal(
        request,
        "export",
        detail={"search": searches.audit_detail(criteria), "count": rows.count()},
    )
    writer = csv.writer(_Echo())
    lines = (writer.writerow([_csv_safe(v) for v in row]) for row in rows.iterator())
    response = StreamingHttpResponse(
        (line for part in ([writer.writerow(EXPORT_COLUMNS)], lines) for line in part),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="applications.csv"'
    return response


def scoped_application(request: OfficerRequest, reference: str) -> Application:
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
    request: OfficerRequest, application: Application, **forms
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
        "can_determine": application.status in Status.WITH_COUNCIL,
        "back_url": results_url(searches.last_results(request.session)),
        "note_form": forms.get("note_form") or NoteForm(),
        "determination_form": forms.get("determination_form") or DeterminationForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceRequestForm(),
        "has_errors": any(f.errors for f in forms.values()),
        # Corrections (issue 20): who corrected which fields and why, and the
        # links sent to the applicant.
        "corrections": Correction.objects.for_authority(authority).filter(
            application=application
        ),
        "correction_requests": CorrectionRequest.objects.for_authority(authority)
        .filter(application=application)
        .order_by("-requested_at"),
        "can_correct": application.status not in Status.DECIDED,
    }


@officer_required
def application_detail(request: OfficerRequest, reference: str) -> HttpResponse:
    application = scoped_application(request, reference)
    audit.record_portal(request, "view", reference=application.reference)
    return render(
        request, "ero/application.html", application_context(request, application)
    )
