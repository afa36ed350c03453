import pytest
from django.db import OperationalError
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from ier.ops import worker as worker_module
from ier.ops.worker import BackgroundWorker
from ier.verification.models import Verification
from ier.verification.synthetic import submit_cases
from tests.verification.helpers import a_verifier, on_record, some_addresses

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("keep_the_test_connection"),
]
DONE = []


@pytest.fixture
def keep_the_test_connection(monkeypatch):
    """The worker drops stale connections each round, as Django does per request;
    the test's connection is inside its transaction and must stay open."""
    monkeypatch.setattr(worker_module, "close_old_connections", lambda: None)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@task()
def another_job(value: int) -> int:
    DONE.append(value)
    return value


def test_the_worker_verifies_sweeps_and_runs_other_tasks_until_idle():
    _people, cases = on_record(60)
    made = submit_cases(cases[:25], some_addresses())
    another_job.enqueue(7)
    worker = BackgroundWorker(a_verifier(batch_size=10), poll_seconds=0)
    worker.run(until_idle=True)
    assert Verification.objects.filter(application_id__in=made).count() == 25
    assert DONE == [7]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


def test_a_stopped_worker_finishes_its_round_and_leaves():
    worker = BackgroundWorker(a_verifier(), poll_seconds=0)
    worker.stop()
    worker.run()
    assert worker.running is False


def test_a_worker_that_loses_the_database_carries_on_once_it_is_back(monkeypatch):
    """A database restart is not the end of `ier worker`: it waits, and verifies
    everything once the database answers again."""
    _people, cases = on_record(60)
    made = submit_cases(cases[:5], some_addresses())
    worker = BackgroundWorker(a_verifier(batch_size=10), poll_seconds=0)
    verify = worker.verifier.verify_next_batch
    failures = iter([OperationalError("the database system is shutting down")])

    def once_unreachable():
        for failure in failures:
            raise failure
        return verify()

    monkeypatch.setattr(worker.verifier, "verify_next_batch", once_unreachable)
    monkeypatch.setattr(worker_module, "DATABASE_RETRY_SECONDS", 0)
    worker.run(until_idle=True)
    assert Verification.objects.filter(application_id__in=made).count() == 5
