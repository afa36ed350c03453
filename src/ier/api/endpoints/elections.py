"""The public, token-free elections API: the coming elections and registration
deadlines at a postcode, as JSON and as an iCalendar feed, so campaigns and
councils can remind people. Answers are cached by clients and this process for a
few minutes and limited per client address across every web process."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from icalendar import Calendar, Event
from ninja import Field, Query, Router, Schema

from ier.api.problems import Problem
from ier.core import ratelimit
from ier.elections.presenters import election_name
from ier.elections.upcoming import (
    CACHE_SECONDS,
    Upcoming,
    all_upcoming,
    at_postcode,
    councils_at,
    for_councils,
)
from ier.geography.postcodes import normalise_postcode

router = Router(tags=["elections"])
RATE_WINDOW_SECONDS = 60
SERVICE_URL = "https://www.gov.uk/register-to-vote"


class ElectionOut(Schema):
    election_id: str = Field(description="EveryElection's id")
    name: str
    election_type: str
    poll_date: date
    division: str = Field(description="The ward or division, if only part votes")
    division_gss: str = Field(
        description="GSS code of the ward, county division or constituency, if only "
        "part votes (then only the postcodes there are answered with it, where the "
        "postcode directory places them)"
    )
    council: str = Field(description="GSS code of the council whose residents vote")
    deadline_day: date = Field(description="The last day to apply to register")
    deadline: datetime = Field(description="Midnight at the end of the last day")
    open: bool = Field(description="Whether an application made now counts")


class ElectionsOut(Schema):
    postcode: str
    elections: list[ElectionOut]


#: The shape of a postcode, in any case and spacing; one of that shape that is
#: not a postcode in use is answered as unknown (404).
POSTCODE_PATTERN = r"^ *[A-Za-z]{1,2}[0-9][A-Za-z0-9]? *[0-9][A-Za-z]{2} *$"


class PostcodeQuery(Schema):
    postcode: str = Field(
        max_length=16,
        pattern=POSTCODE_PATTERN,
        description="A UK postcode, e.g. SW1A 1AA",
    )


class FeedQuery(Schema):
    postcode: str | None = Field(
        None,
        max_length=16,
        pattern=POSTCODE_PATTERN,
        description="Only this postcode's elections",
    )


def _limit(request: HttpRequest) -> None:
    if not ratelimit.hit(
        "elections-api",
        ratelimit.client_address(request),
        settings.ELECTIONS_API_REQUESTS_PER_MINUTE,
        RATE_WINDOW_SECONDS,
    ):
        raise Problem(
            429,
            "rate_limited",
            "Too many requests from this address. Wait, then try again.",
            headers={"Retry-After": str(RATE_WINDOW_SECONDS)},
        )


def _elections_at(text: str) -> tuple[str, list[Upcoming]]:
    postcode = normalise_postcode(text)
    councils = councils_at(postcode) if postcode else ()
    if postcode is None or not councils:
        raise Problem(404, "unknown_postcode", "We do not know that postcode.")
    return postcode, at_postcode(for_councils(councils, timezone.localdate()), postcode)


def _cached(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "public, max-age=%d" % CACHE_SECONDS
    return response


def _document(election: Upcoming, now: datetime) -> ElectionOut:
    return ElectionOut(
        election_id=election.election_id,
        name=election_name(election),
        election_type=election.election_type,
        poll_date=election.poll_date,
        division=election.division,
        division_gss=election.division_gss,
        council=election.council_gss,
        deadline_day=election.deadline_day,
        deadline=election.deadline,
        open=election.open_at(now),
    )


@router.get(
    "/elections",
    response=ElectionsOut,
    summary="Coming elections and registration deadlines at a postcode",
    auth=None,
)
def elections(request: HttpRequest, query: Query[PostcodeQuery]):
    """Public, no token. Elections from today on, nearest deadline first; `open`
    says whether an application made now counts for each."""
    _limit(request)
    postcode, found = _elections_at(query.postcode)
    now = timezone.now()
    with translation.override("en"):
        body = ElectionsOut(
            postcode=postcode, elections=[_document(e, now) for e in found]
        )
    return _cached(
        HttpResponse(body.model_dump_json(), content_type="application/json")
    )


@router.get(
    "/elections.ics",
    summary="iCalendar feed of registration deadlines",
    auth=None,
    openapi_extra={
        "responses": {
            200: {
                "description": "An iCalendar (RFC 5545) feed",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def deadlines_feed(request: HttpRequest, query: Query[FeedQuery]):
    """Public, no token. One all-day event on each coming election's last day to
    apply to register; every coming election, or a postcode's."""
    _limit(request)
    if query.postcode:
        _postcode, found = _elections_at(query.postcode)
    else:
        found = all_upcoming(timezone.localdate())
    with translation.override("en"):
        feed = deadline_calendar(found)
    return _cached(HttpResponse(feed, content_type="text/calendar; charset=utf-8"))


def deadline_calendar(found: list[Upcoming]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//%s//Registration deadlines//EN" % settings.SERVICE_NAME)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Registration deadlines")
    stamp = timezone.now()
    for election in found:
        name = election_name(election)
        event = Event()
        event.add(
            "uid",
            "%s.%s@register-to-vote"
            % (election.election_id, election.deadline_day.isoformat()),
        )
        event.add("dtstamp", stamp)
        event.add("dtstart", election.deadline_day)
        event.add("dtend", election.deadline_day + timedelta(days=1))
        event.add("summary", "Last day to register to vote: %s" % name)
        event.add(
            "description",
            "Apply by 11:59pm to vote in the %s on %s: %s"
            % (
                election_name(election, in_sentence=True),
                election.poll_date.isoformat(),
                SERVICE_URL,
            ),
        )
        event.add("url", SERVICE_URL)
        calendar.add_component(event)
    return calendar.to_ical()
