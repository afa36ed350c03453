"""A postcode's divisions are read only where a poll there is held in one division
only: for a council-wide poll where the postcode lies changes nothing."""

import pytest
from django.utils import timezone

from ier.elections.models import ElectionArea
from ier.elections.upcoming import (
    Upcoming,
    all_upcoming,
    at_postcode,
    for_councils,
    forget_lookups,
)
from ier.geography.models import Authority
from tests.elections.factories import create_election, weeks_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    """Four councils; polls in the first three at different dates and deadlines,
    one shared by two of them, a by-election in one division, one cancelled."""
    first, second, third, fourth = Authority.objects.order_by("pk")[:4]
    create_election([first, second], weeks_ahead(8), title="Shared")
    create_election([second], weeks_ahead(5), title="Second's own")
    create_election(
        [third],
        weeks_ahead(6),
        title="By-election",
        election_id="local.test.ward.%s" % weeks_ahead(6).isoformat(),
        division_gss="W1",
    )
    create_election([third], weeks_ahead(6), title="Another on the same day")
    create_election([first], weeks_ahead(7), title="Cancelled", cancelled=True)
    return [first.pk, second.pk, third.pk, fourth.pk]


def today():
    return timezone.localdate()


def test_a_postcodes_divisions_are_read_only_for_a_poll_in_one_division(
    councils, django_assert_num_queries
):
    council_wide = for_councils((councils[1],), today())
    with django_assert_num_queries(0):
        assert at_postcode(council_wide, "AB1 2CD") == council_wide
    with_division = for_councils((councils[2],), today())
    with django_assert_num_queries(1):
        kept = at_postcode(with_division, "AB1 2CD")
    assert [e.title for e in kept] == ["Another on the same day", "By-election"]


def upcoming_from_models(authority_ids) -> list[Upcoming]:
    """The coming elections made from whole election areas, elections and
    councils, one per election and deadline day, soonest first."""
    found: dict = {}
    areas = (
        ElectionArea.objects.filter(
            authority_id__in=authority_ids,
            election__poll_date__gte=today(),
            election__cancelled=False,
        )
        .select_related("election", "authority")
        .order_by("deadline", "election__poll_date", "election__title")
    )
    for area in areas:
        found.setdefault(
            (area.election.election_id, area.deadline_day),
            Upcoming(
                election_id=area.election.election_id,
                title=area.election.title,
                election_type=area.election.election_type,
                poll_date=area.election.poll_date,
                division=area.election.division,
                division_gss=area.election.division_gss,
                deadline_day=area.deadline_day,
                deadline=area.deadline,
                council_gss=area.authority.gss_code,
                council=area.authority.name,
                council_cy=area.authority.name_cy,
            ),
        )
    return list(found.values())


def test_the_elections_read_as_values_are_those_of_the_whole_rows(councils):
    for ids in ([councils[0]], [councils[1]], [councils[2]], councils, [councils[3]]):
        forget_lookups()
        assert for_councils(tuple(ids), today()) == upcoming_from_models(ids)
    assert len(for_councils(tuple(councils), today())) == 4
    shared = [e for e in all_upcoming(today()) if e.title == "Shared"]
    assert shared == [e for e in upcoming_from_models(councils) if e.title == "Shared"]
    assert shared[0].deadline.tzinfo is not None
