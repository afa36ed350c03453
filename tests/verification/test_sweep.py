import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ier.registration.models import Application, ApplicationEvent, Status
from ier.verification import pipeline
from ier.verification.models import Verification
from ier.verification.sweep import Sweeper
from ier.verification.synthetic import submit_cases
from ier.verification.tasks import QUEUE
from tests.verification.helpers import a_verifier, drain, on_record, some_addresses

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_sweep")]
AN_HOUR_AGO = datetime.timedelta(hours=1)


@pytest.fixture
def quick_sweep():
    with override_settings(VERIFICATION_STUCK_SECONDS=60):
        yield


def submitted(count):
    _people, cases = on_record(60)
    return submit_cases(
        [c for c in cases if c.variation == "exact"][:count], some_addresses()
    )


def age(ids):
    Application.objects.filter(pk__in=ids).update(
        updated_at=timezone.now() - AN_HOUR_AGO
    )


def test_an_application_whose_task_was_lost_is_queued_again_and_verified():
    made = submitted(3)
    DBTaskResult.objects.filter(queue_name=QUEUE).delete()
    age(made)
    assert Sweeper().sweep().requeued == 3
    drain(a_verifier())
    assert Verification.objects.filter(application_id__in=made).count() == 3
    assert ApplicationEvent.objects.filter(event="verification_requeued").count() == 3


def test_an_application_with_a_task_waiting_is_left_alone():
    made = submitted(2)
    age(made)
    assert Sweeper().sweep().requeued == 0
    assert DBTaskResult.objects.filter(queue_name=QUEUE).count() == 2


def test_recent_applications_are_left_alone_even_without_a_task():
    submitted(2)
    DBTaskResult.objects.filter(queue_name=QUEUE).delete()
    assert Sweeper().sweep().requeued == 0


def test_a_claim_abandoned_by_a_dead_worker_is_given_up_and_verified_by_another():
    made = submitted(3)
    abandoned = pipeline.claim_batch("dead-worker", 10)
    age(abandoned.ids)
    DBTaskResult.objects.filter(pk__in=abandoned.task_ids).update(
        started_at=timezone.now() - AN_HOUR_AGO
    )
    assert Sweeper().sweep().reclaimed == 3
    failed = DBTaskResult.objects.filter(pk__in=abandoned.task_ids)
    assert set(failed.values_list("status", flat=True)) == {TaskResultStatus.FAILED}
    drain(a_verifier())
    assert set(
        Application.objects.filter(pk__in=made).values_list("status", flat=True)
    ) == {Status.VERIFIED}
    assert Verification.objects.count() == 3


def test_the_sweep_walks_a_long_backlog_a_page_at_a_time():
    made = sorted(submitted(5))
    DBTaskResult.objects.filter(queue_name=QUEUE).delete()
    age(made)
    sweeper = Sweeper(page=2)
    assert [sweeper.sweep().requeued for _ in range(4)] == [2, 2, 1, 0]
    queued = DBTaskResult.objects.filter(queue_name=QUEUE)
    assert sorted(t.args_kwargs["kwargs"]["application_id"] for t in queued) == made
