"""A postcode's divisions are read only where a poll there is held in one division
only: for a council-wide poll where the postcode lies changes nothing."""

import pytest
from django.utils import timezone

from ier.elections.upcoming import at_postcode, for_councils
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
