"""Which elections a council's residents can still register for, and which
elections an application is in time for: derived from the submission time, the
council and the deadlines, never stored on the application."""

import time
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache

from django.utils import timezone

from ier.elections.models import ElectionArea
from ier.geography.models import PostcodeArea, PostcodeDivision

#: Elections change only when a file is loaded (which clears this process's
#: copies; other processes see it within this many seconds).
CACHE_SECONDS = 300
#: Distinct councils and postcodes remembered per process: bounded, so a crawl
#: over every postcode cannot grow a web process without limit.
CACHE_SIZE = 20_000


@dataclass(frozen=True)
class Upcoming:
    election_id: str
    title: str
    election_type: str
    poll_date: date
    division: str
    division_gss: str
    deadline_day: date
    deadline: datetime
    council_gss: str
    council: str
    council_cy: str
    #: Whether the postcode asked about is known to be in `division` (so the page
    #: need not say "only if you live in ...").
    covers_postcode: bool = False

    def open_at(self, moment: datetime) -> bool:
        """Whether an application made at `moment` counts for this election."""
        return moment < self.deadline


def _period() -> int:
    return int(time.time() // CACHE_SECONDS)


def for_councils(authority_ids: tuple[int, ...], today: date) -> list[Upcoming]:
    """Elections on or after `today` in any of the councils, soonest first."""
    return list(_for_councils(tuple(sorted(set(authority_ids))), today, _period()))


@lru_cache(maxsize=CACHE_SIZE)
def _for_councils(
    authority_ids: tuple[int, ...], today: date, _period: int
) -> tuple[Upcoming, ...]:
    areas = ElectionArea.objects.filter(
        authority_id__in=authority_ids,
        election__poll_date__gte=today,
        election__cancelled=False,
    ).order_by("deadline", "election__poll_date", "election__title")
    return _distinct(areas)


#: The columns of an election area that an `Upcoming` holds, in its order: read as
#: values, Django writes the query for eleven columns rather than three whole
#: models (a third less of its work, on "check your answers" for each council).
UPCOMING_COLUMNS = (
    "election__election_id",
    "election__title",
    "election__election_type",
    "election__poll_date",
    "election__division",
    "election__division_gss",
    "deadline_day",
    "deadline",
    "authority__gss_code",
    "authority__name",
    "authority__name_cy",
)


def _distinct(areas) -> tuple[Upcoming, ...]:
    """One entry per election and deadline day (a general election covers every
    council; its deadline differs only between parts of the United Kingdom)."""
    found: dict[tuple[str, date], Upcoming] = {}
    for row in areas.values_list(*UPCOMING_COLUMNS):
        key = (row[0], row[6])
        if key not in found:
            found[key] = Upcoming(*row)
    return tuple(found.values())


def councils_at(postcode: str) -> tuple[int, ...]:
    """The councils a postcode lies in (by the directory or its addresses)."""
    return _councils_at(postcode, _period())


@lru_cache(maxsize=CACHE_SIZE)
def _councils_at(postcode: str, _period: int) -> tuple[int, ...]:
    return tuple(
        PostcodeArea.objects.filter(postcode=postcode)
        .values_list("authority_id", flat=True)
        .distinct()
    )


def divisions_at(postcode: str) -> frozenset[str] | None:
    """The GSS codes of the wards, county electoral division and constituency the
    postcode lies in, by the postcode directory; None where the directory gives it
    no divisions (then a poll in one division cannot be placed at it)."""
    return _divisions_at(postcode, _period())


@lru_cache(maxsize=CACHE_SIZE)
def _divisions_at(postcode: str, _period: int) -> frozenset[str] | None:
    row = PostcodeDivision.objects.filter(postcode=postcode).first()
    return row.codes() if row else None


def at_postcode(elections: list[Upcoming], postcode: str | None) -> list[Upcoming]:
    """The elections (of the postcode's councils) that cover the postcode. A poll in
    one ward, county division or constituency is kept where the postcode lies in
    it, left out where it lies in another, and kept with its "only if you live in"
    caveat where the postcode has no division data or the poll no GSS code."""
    if not any(election.division_gss for election in elections):
        # No poll here is held in one division only: where the postcode lies
        # would change nothing, so its divisions are not read.
        return elections
    divisions = divisions_at(postcode) if postcode else None
    if divisions is None:
        return elections
    kept = []
    for election in elections:
        if not election.division_gss:
            kept.append(election)
        elif election.division_gss in divisions:
            kept.append(replace(election, covers_postcode=True))
    return kept


def forget_lookups() -> None:
    _for_councils.cache_clear()
    _councils_at.cache_clear()
    _divisions_at.cache_clear()
    _all_upcoming.cache_clear()


#: The election types each kind of elector votes in, where not every type: an
#: overseas elector votes only in UK Parliament elections (RPA 1985 s.1, as
#: amended by the Elections Act 2022 s.14); service voters (forces, Crown
#: servants) vote in every election at their qualifying address, as residents do.
FRANCHISES: dict[str, frozenset[str]] = {"overseas": frozenset({"parl"})}


def for_journey(elections: list[Upcoming], journey: str) -> list[Upcoming]:
    """The elections an applicant on `journey` could vote in."""
    types = FRANCHISES.get(journey)
    if types is None:
        return elections
    return [e for e in elections if e.election_type in types]


@dataclass(frozen=True)
class Standing:
    """Where an application made at a moment stands against the coming elections."""

    in_time: list[Upcoming]
    too_late: list[Upcoming]


def standing(
    authority_ids: tuple[int, ...],
    at: datetime | None = None,
    postcode: str | None = None,
    journey: str = "",
) -> Standing:
    """The coming elections in the councils (at the postcode, when given) that an
    applicant on `journey` could vote in, split by whether an application made at
    `at` (by default now) counts for each."""
    moment = at or timezone.now()
    upcoming = for_journey(
        at_postcode(for_councils(authority_ids, timezone.localdate(moment)), postcode),
        journey,
    )
    return Standing(
        in_time=[e for e in upcoming if e.open_at(moment)],
        too_late=[e for e in upcoming if not e.open_at(moment)],
    )


def covers(election_type: str, division_gss: str, journey: str, divisions) -> bool:
    """Whether a poll counts for an application on `journey` at a postcode with
    `divisions` (None: no division data): the same rule as `at_postcode` and
    `for_journey`."""
    types = FRANCHISES.get(journey)
    if types is not None and election_type not in types:
        return False
    return not division_gss or divisions is None or division_gss in divisions


def next_deadline(
    moment: datetime, council_ids: Collection[int] | None = None
) -> date | None:
    """The next registration deadline day after `moment`: anywhere, or in a poll
    of one of these councils."""
    areas = ElectionArea.objects.filter(deadline__gt=moment, election__cancelled=False)
    if council_ids is not None:
        areas = areas.filter(authority_id__in=council_ids)
    area = areas.order_by("deadline").first()
    return area.deadline_day if area else None


#: At most this many elections in the national feed.
FEED_LIMIT = 2000


def all_upcoming(today: date) -> list[Upcoming]:
    """Every coming election (one entry per deadline day), soonest first."""
    return list(_all_upcoming(today, _period()))


@lru_cache(maxsize=4)
def _all_upcoming(today: date, _period: int) -> tuple[Upcoming, ...]:
    areas = ElectionArea.objects.filter(
        election__poll_date__gte=today, election__cancelled=False
    ).order_by("deadline", "election__election_id", "authority__gss_code")
    return _distinct(areas)[:FEED_LIMIT]
