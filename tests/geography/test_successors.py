"""Which council runs registration in an area on a day, following mergers: one
step per merger that has taken effect, never round a loop, and read as two columns
a council (every application sent asks it once)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ier.geography.models import Authority
from tests.citizen.helpers import an_address, ordinary_answers, submit

pytestmark = pytest.mark.django_db

TODAY = date(2027, 4, 1)


@pytest.fixture
def chain():
    """A merged into B a year ago; B merges into C tomorrow."""
    a, b, c = Authority.objects.order_by("pk")[:3]
    Authority.objects.filter(pk=a.pk).update(
        replaced_by=b, replaced_from=TODAY - timedelta(days=365)
    )
    Authority.objects.filter(pk=b.pk).update(
        replaced_by=c, replaced_from=TODAY + timedelta(days=1)
    )
    return a.pk, b.pk, c.pk


def test_each_merger_counts_from_its_day(chain):
    a, b, c = chain
    assert Authority.successor_on(a, TODAY - timedelta(days=366)) == a
    assert Authority.successor_on(a, TODAY) == b
    assert Authority.successor_on(b, TODAY) == b
    assert Authority.successor_on(a, TODAY + timedelta(days=1)) == c
    assert Authority.successor_on(c, TODAY + timedelta(days=1)) == c


def test_a_loop_of_mergers_ends_where_it_would_come_round(chain):
    a, _b, c = chain
    Authority.objects.filter(pk=c).update(replaced_by=a, replaced_from=TODAY)
    assert Authority.successor_on(a, TODAY + timedelta(days=1)) == c


def test_an_unknown_council_is_refused():
    with pytest.raises(Authority.DoesNotExist):
        Authority.successor_on(10**9, TODAY)


def test_sending_reads_the_councils_merger_columns_only(client):
    address = an_address("Wales")
    with CaptureQueriesContext(connection) as sent:
        submit(client, ordinary_answers(address))
    council_reads = [
        query["sql"]
        for query in sent.captured_queries
        if 'FROM "geography_authority"' in (query["sql"] or "")
    ]
    assert len(council_reads) == 1
    assert council_reads[0].split(" FROM ")[0] == (
        'SELECT "geography_authority"."replaced_by_id" AS "replaced_by_id", '
        '"geography_authority"."replaced_from" AS "replaced_from"'
    )


def test_an_application_goes_to_the_successor_of_a_merged_council(client):
    from ier.registration.models import Application

    address = an_address("Wales")
    successor = Authority.objects.exclude(pk=address.authority_id).order_by("pk")[0]
    submit(client, ordinary_answers(address))
    Authority.objects.filter(pk=address.authority_id).update(
        replaced_by=successor, replaced_from=date.today() - timedelta(days=1)
    )
    Application.objects.all().delete()
    submit(client, ordinary_answers(address))
    assert Application.objects.get().authority_id == successor.pk
