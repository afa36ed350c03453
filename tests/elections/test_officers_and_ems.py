"""Officers and EMS see which coming elections each application is in time for:
the work queue puts the nearest deadline first, the EMS API lists the elections
and filters by one, and the dashboard shows the run-up to the next deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ier.elections.models import ElectionArea
from ier.elections.run_up import run_up
from ier.ero.queue import work_queue
from ier.registration.models import Application, Status
from tests.api.factories import create_application, create_token
from tests.elections.factories import create_election, weeks_ahead

pytestmark = pytest.mark.django_db


def sent(authority, days_ago, status=Status.PARTIAL):
    application = create_application(authority, status)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=days_ago)
    )
    return Application.objects.get(pk=application.pk)


def test_work_queue_puts_the_nearest_deadline_first(authority):
    """The deadline comes before priority: a verified application in time for a
    poll three days away comes before an amber one sent after its deadline."""
    poll = create_election([authority], timezone.localdate() + timedelta(days=3))
    ElectionArea.objects.filter(election=poll).update(
        deadline=timezone.now() - timedelta(days=2)
    )
    in_time = sent(authority, days_ago=3, status=Status.VERIFIED)
    too_late = sent(authority, days_ago=1, status=Status.PARTIAL)
    queue = list(work_queue(authority))
    assert [a.pk for a in queue] == [in_time.pk, too_late.pk]
    assert queue[0].next_deadline is not None and queue[1].next_deadline is None


def test_work_queue_orders_two_deadlines(authority):
    later = create_election([authority], weeks_ahead(10), election_id="local.later")
    sooner = create_election([authority], weeks_ahead(5), election_id="local.sooner")
    first = sent(authority, days_ago=2, status=Status.VERIFIED)
    ElectionArea.objects.filter(election=sooner).update(
        deadline=timezone.now() - timedelta(days=1)
    )
    second = sent(authority, days_ago=0, status=Status.PARTIAL)
    # `first` was in time for the sooner deadline, `second` only for the later one.
    assert [a.pk for a in work_queue(authority)] == [first.pk, second.pk]
    assert later.pk


def test_ems_api_lists_and_filters_by_election(client, authority):
    ahead = create_election([authority], weeks_ahead(6), election_id="local.x.2027")
    in_time = sent(authority, days_ago=1, status=Status.VERIFIED)
    ElectionArea.objects.filter(election=ahead).update(
        deadline=timezone.now() - timedelta(hours=1)
    )
    late = create_application(authority, Status.VERIFIED)
    headers = {"Authorization": "Bearer %s" % create_token(authority)}
    listed = client.get("/api/v1/applications", headers=headers).json()["items"]
    elections = {item["reference"]: item["elections"] for item in listed}
    assert [e["election_id"] for e in elections[in_time.reference]] == ["local.x.2027"]
    assert elections[late.reference] == []
    only = client.get(
        "/api/v1/applications?election=local.x.2027", headers=headers
    ).json()["items"]
    assert [item["reference"] for item in only] == [in_time.reference]
    unknown = client.get(
        "/api/v1/applications?election=local.unknown", headers=headers
    ).json()["items"]
    assert unknown == []
    one = client.get(
        "/api/v1/applications/%s" % in_time.reference, headers=headers
    ).json()
    assert one["elections"][0]["poll_date"] == ahead.poll_date.isoformat()


def test_dashboard_shows_the_run_up_to_the_next_deadline(authority):
    create_election([authority], timezone.localdate() + timedelta(days=20))
    sent(authority, days_ago=0, status=Status.VERIFIED)
    figures = run_up(timezone.now())
    assert figures["days_left"] == (figures["deadline_day"] - timezone.localdate()).days
    assert figures["bars"][-1].value == 1
    assert len(figures["bars"]) == 14


def test_work_queue_with_no_coming_poll_orders_by_priority_and_age(authority):
    """With no poll to come the deadline is NULL for every row; ordering by it
    must still run (PostgreSQL refuses to order by a bare NULL)."""
    older = sent(authority, days_ago=2, status=Status.VERIFIED)
    newer = sent(authority, days_ago=1, status=Status.VERIFIED)
    queue = list(work_queue(authority))
    assert [a.pk for a in queue] == [older.pk, newer.pk]
    assert all(a.next_deadline is None for a in queue)
    # As the CSV export reads it: the ordering then inlines the deadline.
    pks = list(work_queue(authority).values_list("pk", flat=True))
    assert pks == [older.pk, newer.pk]
