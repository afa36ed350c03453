"""The figures on the public performance page: counts only, never a person."""

from datetime import timedelta
from statistics import median

from django.conf import settings
from django.db.models import Avg, Count, F
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext

from ier.core.charts import Bar
from ier.elections.run_up import DAYS_SHOWN, days_from, run_up
from ier.performance.health import uptime
from ier.performance.models import Feedback
from ier.registration.models import Application, ApplicationEvent, Status


def per_day(now) -> list[Bar]:
    return days_from((now - timedelta(days=DAYS_SHOWN - 1)).date())


def per_hour(now) -> list[Bar]:
    start = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    hours = [start - timedelta(hours=h) for h in range(23, -1, -1)]
    rows = (
        Application.objects.filter(submitted_at__gte=hours[0])
        .annotate(hour=TruncHour("submitted_at"))
        .values("hour")
        .annotate(n=Count("id"))
    )
    counts = {timezone.localtime(row["hour"]): row["n"] for row in rows}
    return [Bar(hour.strftime("%H:00"), counts.get(hour, 0)) for hour in hours]


def grouped(since, field: str, labels: dict) -> list[Bar]:
    rows = (
        Application.objects.filter(submitted_at__gte=since)
        .values(field)
        .annotate(n=Count("id"))
        .order_by(field)
    )
    return [Bar(str(labels.get(row[field], row[field])), row["n"]) for row in rows]


def outcomes(since) -> list[Bar]:
    """Where verification ended for applications received since `since`."""
    rows = (
        ApplicationEvent.objects.filter(
            application__submitted_at__gte=since,
            to_status__in=Status.VERIFICATION_OUTCOMES,
        )
        .values("to_status")
        .annotate(n=Count("application", distinct=True))
    )
    counts = {row["to_status"]: row["n"] for row in rows}
    return [
        Bar(str(status.label), counts.get(status, 0))
        for status in Status.VERIFICATION_OUTCOMES
    ]


def minutes_to_verify(since) -> dict | None:
    """Median and 90th percentile from receipt to a verification outcome."""
    waits = sorted(
        (row["at"] - row["received"]).total_seconds() / 60
        for row in ApplicationEvent.objects.filter(
            application__submitted_at__gte=since,
            to_status__in=Status.VERIFICATION_OUTCOMES,
        )
        .annotate(received=F("application__submitted_at"))
        .values("at", "received")[:100000]
    )
    if not waits:
        return None
    return {
        "median": median(waits),
        "p90": waits[min(len(waits) - 1, int(0.9 * len(waits)))],
        "count": len(waits),
    }


def satisfaction(since) -> dict:
    answers = Feedback.objects.filter(submitted_at__gte=since)
    counts = dict(
        answers.values_list("rating").annotate(n=Count("id")).values_list("rating", "n")
    )
    return {
        "average": answers.aggregate(a=Avg("rating"))["a"],
        "count": sum(counts.values()),
        "bars": [Bar(str(r), counts.get(r, 0)) for r in range(5, 0, -1)],
    }


def figures(now=None) -> dict:
    from ier.geography.models import Nation
    from ier.registration.models import JourneyKind

    now = now or timezone.now()
    month = now - timedelta(days=30)
    return {
        "per_day": per_day(now),
        "per_hour": per_hour(now),
        "run_up": run_up(now),
        # The nations' names are in the catalogue already (the where-you-live page).
        "by_nation": grouped(
            month, "authority__nation", {n: gettext(n) for n in Nation.values}
        ),
        "by_journey": grouped(month, "journey", dict(JourneyKind.choices)),
        "outcomes": outcomes(month),
        "time_to_verify": minutes_to_verify(month),
        "satisfaction": satisfaction(month),
        "uptime_day": uptime(1, settings.HEALTH_RECORD_SECONDS, now),
        "uptime_month": uptime(30, settings.HEALTH_RECORD_SECONDS, now),
    }
