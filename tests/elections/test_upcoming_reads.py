"""The coming elections of every council are read once a cache period, not once a
council: each council, and each set of councils, gets what its own read gave, in
the same order; above the bound each set of councils is read on its own again."""

import pytest
from django.utils import timezone

from ier.elections import upcoming
from ier.elections.upcoming import at_postcode, for_councils, standing
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


def each_read_alone(ids: tuple[int, ...]) -> list:
    return list(upcoming._for_councils(tuple(sorted(ids)), today(), 0))


def today():
    return timezone.localdate()


def test_every_council_and_set_of_councils_as_its_own_read_gave(councils):
    sets = [(pk,) for pk in councils] + [
        (councils[0], councils[1]),
        (councils[1], councils[2], councils[3]),
        tuple(councils),
    ]
    for ids in sets:
        assert for_councils(ids, today()) == each_read_alone(ids), ids
    assert [e.title for e in for_councils((councils[1],), today())] == [
        "Second's own",
        "Shared",
    ]
    assert for_councils((councils[3],), today()) == []


def test_one_read_a_period_serves_every_council(councils, django_assert_num_queries):
    for_councils((councils[0],), today())
    with django_assert_num_queries(0):
        for pk in councils:
            for_councils((pk,), today())
        for_councils(tuple(councils), today())


def test_above_the_bound_each_set_of_councils_is_read_alone(
    councils, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(upcoming, "AREAS_LIMIT", 2)
    with django_assert_num_queries(2):  # the bounded read, then the council's own
        shared = for_councils((councils[0],), today())
    assert [e.title for e in shared] == ["Shared"]
    with django_assert_num_queries(1):
        every = for_councils(tuple(councils), today())
    assert every == each_read_alone(tuple(councils))


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


def test_a_council_with_no_coming_poll_costs_no_read_a_period(
    councils, django_assert_num_queries
):
    standing((councils[0],), postcode="AB1 2CD")
    with django_assert_num_queries(0):
        for pk in (councils[1], councils[3]):
            standing((pk,), postcode="ZZ9 9ZZ")
