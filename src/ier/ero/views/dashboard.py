"""The first page after signing in: how much there is and how old it is."""

from datetime import timedelta

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ier.elections.run_up import run_up
from ier.ero.access import OfficerRequest, officer_required
from ier.ero.queue import open_applications
from ier.registration.models import Application, Channel, Status
from ier.registration.notices import new_notices

AGE_BANDS = [
    ("today", _("Less than a day"), 0, 1),
    ("week", _("1 to 7 days"), 1, 8),
    ("month", _("8 to 28 days"), 8, 29),
    ("older", _("More than 28 days"), 29, None),
]


def _age_counts(authority) -> list[dict]:
    now = timezone.now()
    filters = {}
    for key, _label, low, high in AGE_BANDS:
        condition = Q(submitted_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(submitted_at__gt=now - timedelta(days=high))
        filters[key] = Count("pk", filter=condition)
    counts = open_applications(authority).aggregate(**filters)
    return [
        {"label": label, "count": counts[key]} for key, label, _low, _high in AGE_BANDS
    ]


def _status_counts(authority) -> list[dict]:
    rows = dict(
        Application.objects.for_authority(authority)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        {
            "status": status,
            "label": label,
            "count": rows.get(status, 0),
            "open": status in Status.OPEN,
        }
        for status, label in Status.choices
    ]


def _channel_counts(authority) -> list[dict]:
    """Applications received by each channel, online or sent by the EMS."""
    rows = dict(
        Application.objects.for_authority(authority)
        .values("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    return [
        {"label": label, "count": rows.get(channel, 0)}
        for channel, label in Channel.choices
    ]


@officer_required
def dashboard(request: OfficerRequest) -> HttpResponse:
    authority = request.officer.authority
    return render(
        request,
        "ero/dashboard.html",
        {
            "by_status": _status_counts(authority),
            "by_age": _age_counts(authority),
            "by_channel": _channel_counts(authority),
            "needs_attention": open_applications(authority)
            .filter(priority__lt=4)
            .count(),
            "notices_to_deal_with": new_notices(authority).count(),
            "run_up": run_up(timezone.now(), authority.office_council_ids),
        },
    )
