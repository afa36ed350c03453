"""The run-up to a registration deadline: applications per day over the fortnight
that ends on the next deadline. The public performance page shows it for the
whole service, the portal's dashboard for one registration office's councils."""

from collections.abc import Collection
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from ier.core.charts import Bar
from ier.elections.upcoming import next_deadline
from ier.registration.models import Application

DAYS_SHOWN = 14


def days_from(first: date, council_ids: Collection[int] | None = None) -> list[Bar]:
    """Applications on each of the DAYS_SHOWN days from `first` (of these
    councils only, when given)."""
    applications = Application.objects.filter(submitted_at__date__gte=first)
    if council_ids is not None:
        applications = applications.filter(authority_id__in=council_ids)
    rows = (
        applications.annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(n=Count("id"))
    )
    counts = {row["day"]: row["n"] for row in rows}
    days = [first + timedelta(days=i) for i in range(DAYS_SHOWN)]
    return [Bar(day.strftime("%d/%m"), counts.get(day, 0)) for day in days]


def run_up(now: datetime, council_ids: Collection[int] | None = None) -> dict | None:
    """Applications per day over the fortnight that ends on the next registration
    deadline (or today, while it is further off), and how many days are left:
    anywhere, or in these councils' polls and for their applications."""
    deadline_day = next_deadline(now, council_ids)
    if deadline_day is None:
        return None
    today = timezone.localdate(now)
    last = min(deadline_day, today)
    return {
        "deadline_day": deadline_day,
        "days_left": (deadline_day - today).days,
        "bars": days_from(last - timedelta(days=DAYS_SHOWN - 1), council_ids),
    }
