"""The elections an application is in time for, derived whenever asked from its
council, when it was sent and the deadlines: never stored on the application, so a
newly loaded (or undone) election is reflected at once."""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q

from ier.elections.models import ElectionArea


def _coming_areas(today: date):
    return ElectionArea.objects.filter(
        election__poll_date__gte=today, election__cancelled=False
    )


def add_elections(documents: list[dict[str, Any]], today: date) -> None:
    """Give each application document (with `authority` as a GSS code and
    `submitted_at`) the coming elections it is in time for, nearest deadline first:
    one query for the whole page."""
    if not documents:
        return
    by_council: dict[str, list[dict[str, Any]]] = defaultdict(list)
    areas = (
        _coming_areas(today)
        .filter(authority__gss_code__in={d["authority"] for d in documents})
        .order_by("deadline", "election__election_id")
        .values_list(
            "authority__gss_code",
            "election__election_id",
            "election__poll_date",
            "deadline",
        )
    )
    for council, election_id, poll_date, deadline in areas:
        by_council[council].append(
            {"election_id": election_id, "poll_date": poll_date, "deadline": deadline}
        )
    for document in documents:
        document["elections"] = [
            election
            for election in by_council.get(document["authority"], [])
            if document["submitted_at"] < election["deadline"]
        ]


def in_time_for(election_id: str, today: date) -> Q:
    """Applications (by council and time sent) in time for the election; matches
    none if the election is unknown, cancelled or past."""
    condition = Q(pk__in=[])
    for authority_id, deadline in (
        _coming_areas(today)
        .filter(election__election_id=election_id)
        .values_list("authority_id", "deadline")
    ):
        condition |= Q(authority_id=authority_id, submitted_at__lt=deadline)
    return condition
