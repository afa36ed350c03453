"""The elections an application is in time for, derived whenever asked from its
council, when it was sent and the deadlines: never stored on the application, so a
newly loaded (or undone) election is reflected at once."""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Case, DateTimeField, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Cast

from ier.elections.models import ElectionArea
from ier.elections.upcoming import FRANCHISES, covers
from ier.geography.models import PostcodeDivision


def _coming_areas(today: date):
    return ElectionArea.objects.filter(
        election__poll_date__gte=today, election__cancelled=False
    )


def add_elections(documents: list[dict[str, Any]], today: date) -> None:
    """Give each application document (with `authority` as a GSS code,
    `submitted_at`, `journey` and its address's postcode) the coming elections it
    is in time for, nearest deadline first: a poll in one division only where the
    postcode is in it (or has no division data), and for an overseas elector only
    UK Parliament polls. Two queries for the whole page."""
    if not documents:
        return
    by_council: dict[str, list[tuple[dict[str, Any], str, str]]] = defaultdict(list)
    areas = (
        _coming_areas(today)
        .filter(authority__gss_code__in={d["authority"] for d in documents})
        .order_by("deadline", "election__election_id")
        .values_list(
            "authority__gss_code",
            "election__election_id",
            "election__poll_date",
            "deadline",
            "election__election_type",
            "election__division_gss",
        )
    )
    for council, election_id, poll_date, deadline, kind, division in areas:
        by_council[council].append(
            (
                {
                    "election_id": election_id,
                    "poll_date": poll_date,
                    "deadline": deadline,
                },
                kind,
                division,
            )
        )
    divisions = _divisions_of(
        {_postcode(d) for d in documents}
        if any(div for found in by_council.values() for _, _, div in found)
        else set()
    )
    for document in documents:
        at = divisions.get(_postcode(document))
        document["elections"] = [
            election
            for election, kind, division in by_council.get(document["authority"], [])
            if document["submitted_at"] < election["deadline"]
            and covers(kind, division, document.get("journey", ""), at)
        ]


def _postcode(document: dict[str, Any]) -> str:
    return (document.get("address") or {}).get("postcode") or ""


def _divisions_of(postcodes: set[str]) -> dict[str, frozenset[str]]:
    if not postcodes:
        return {}
    return {
        row.postcode: row.codes()
        for row in PostcodeDivision.objects.filter(postcode__in=postcodes)
    }


def _area_rows(areas):
    return areas.values_list(
        "authority_id",
        "deadline",
        "election__election_type",
        "election__division_gss",
    )


def in_time_for(election_id: str, today: date) -> Q:
    """Applications (by council and time sent) in time for the election; matches
    none if the election is unknown, cancelled or past."""
    condition = Q(pk__in=[])
    for authority_id, deadline, kind, division in _area_rows(
        _coming_areas(today).filter(election__election_id=election_id)
    ):
        condition |= _in_time(authority_id, deadline, _left_out(kind), {division})
    return condition


def nearest_deadline(authority_ids: list[int], today: date) -> Case | Cast:
    """For applications of these councils: the earliest deadline of a coming poll
    each is in time for (by the rule of `in_time_for`), or NULL. A council has a
    handful of coming deadlines, so its polls are read first and the database is
    given one branch per deadline (polls sharing a deadline and a franchise share
    a branch, their divisions matched together), nearest first; a branch for
    division polls probes the postcode index once, and only for the rows that
    reach it."""
    areas = (
        _coming_areas(today)
        .filter(authority_id__in=authority_ids)
        .order_by("deadline", "election__election_id")
    )
    branches: dict[tuple, set[str]] = {}
    for authority_id, deadline, kind, division in _area_rows(areas):
        key = (authority_id, deadline, _left_out(kind))
        branches.setdefault(key, set()).add(division)
    if not branches:
        # No coming poll: NULL for every row. Typed, since PostgreSQL refuses to
        # order by a bare constant (`ORDER BY NULL`).
        return Cast(Value(None), DateTimeField())
    return Case(
        *(
            When(
                _in_time(authority_id, deadline, left_out, divisions),
                then=Value(deadline),
            )
            for (authority_id, deadline, left_out), divisions in branches.items()
        ),
        default=Value(None),
        output_field=DateTimeField(),
    )


def _in_time(
    authority_id: int, deadline, left_out: tuple[str, ...], divisions: set[str]
) -> Q:
    """Sent to the council before the deadline, by a kind of elector not left
    out, at a postcode in one of the divisions (or without division data)."""
    return (
        Q(authority_id=authority_id, submitted_at__lt=deadline)
        & _in_divisions(divisions)
        & (~Q(journey__in=left_out) if left_out else Q())
    )


def _in_divisions(divisions: set[str]) -> Q:
    """Applications whose postcode is in one of the divisions or has no division
    data; all applications if one of the polls covers the whole council ("")."""
    if "" in divisions:
        return Q()
    # One probe of the unique postcode index per application: left out only where
    # the directory places the postcode in other divisions.
    elsewhere = (
        PostcodeDivision.objects.filter(postcode=OuterRef("address_postcode"))
        .exclude(ward_gss__in=divisions)
        .exclude(county_division_gss__in=divisions)
        .exclude(constituency_gss__in=divisions)
    )
    return ~Q(Exists(elsewhere))


def _left_out(election_type: str) -> tuple[str, ...]:
    """The kinds of elector (journeys) who do not vote in this type of poll."""
    return tuple(
        sorted(j for j, types in FRANCHISES.items() if election_type not in types)
    )
