"""Moved-out notices: the work list of people registered by another council who
may still be on this council's register, each read and marked as dealt with once
(the same acknowledgement as the EMS API's)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ier.ero import audit
from ier.ero.access import OfficerRequest, officer_required
from ier.registration import notices
from ier.registration.models import MovedOutNotice

PAGE_SIZE = 50
#: The list's two views: waiting to be dealt with, and dealt with.
SHOWN = {"new": "new", "dealt-with": "all"}
LIST_COLUMNS = [
    "pk",
    "reference",
    "authority__name",
    "new_authority__name",
    "first_name",
    "middle_names",
    "last_name",
    "old_postcode",
    "registered_on",
    "acknowledged_at",
]


@officer_required
def notice_list(request: OfficerRequest) -> HttpResponse:
    shown = request.GET.get("shown", "new")
    if shown not in SHOWN:
        shown = "new"
    authority = request.officer.authority
    queryset = notices.notices_for(authority, SHOWN[shown])
    if shown == "dealt-with":
        queryset = queryset.filter(acknowledged_at__isnull=False).order_by(
            "-acknowledged_at", "-pk"
        )
    page = Paginator(queryset.only(*LIST_COLUMNS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit.record_portal(
        request,
        "notice_list",
        detail={"shown": shown, "notices": [n.reference for n in page.object_list]},
    )
    return render(
        request,
        "ero/notices.html",
        {
            "page": page,
            "shown": shown,
            "new_count": notices.new_notices(authority).count(),
            "several_councils": len(authority.office_council_ids) > 1,
        },
    )


def _scoped(request: OfficerRequest, reference: str) -> MovedOutNotice:
    try:
        return notices.scoped_notice(request.officer.authority, reference)
    except notices.NoticeNotFound:
        raise Http404 from None


def _detail(
    request: OfficerRequest, notice: MovedOutNotice, already: bool = False
) -> HttpResponse:
    return render(
        request,
        "ero/notice.html",
        {"notice": notice, "already": already, "back_url": reverse("ero:notices")},
    )


@officer_required
def notice_detail(request: OfficerRequest, reference: str) -> HttpResponse:
    notice = _scoped(request, reference)
    audit.record_portal(request, "notice_view", detail={"notice": notice.reference})
    return _detail(request, notice)


@officer_required
@require_POST
def mark_dealt_with(request: OfficerRequest, reference: str) -> HttpResponse:
    """Marks the notice as dealt with, once: if someone (an officer or the EMS)
    already did, the page says so and changes nothing."""
    notice = _scoped(request, reference)
    result = notices.acknowledge(
        request.officer.authority,
        [notice.reference],
        "officer:%s" % request.user.get_username(),
    )
    if result["already_acknowledged"]:
        notice.refresh_from_db()
        return _detail(request, notice, already=True)
    audit.record_portal(
        request, "notice_dealt_with", detail={"notice": notice.reference}
    )
    return redirect("ero:notice", reference=notice.reference)
