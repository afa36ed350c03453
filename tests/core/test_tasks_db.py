"""The task library's behaviour that `ier.core.tasks_db` relies on, pinned for the
versions in requirements/lock.txt: an upgrade that changes any of it fails here."""

import datetime
from importlib.metadata import version

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from ier.core import queue, tasks_db

pytestmark = pytest.mark.django_db(transaction=True)

DONE = []


@task()
def remember(value: int) -> int:
    DONE.append(value)
    return value


@task(queue_name="verification")
def elsewhere(value: int) -> int:
    DONE.append(-value)
    return value


def test_the_versions_this_adapter_was_written_against():
    assert (version("django-tasks"), version("django-tasks-db")) == ("0.12.0", "0.13.0")


def test_a_new_row_has_an_id_of_the_backends_own_kind_and_is_ready():
    backend = tasks_db.database_backend(remember)
    assert backend is not None
    row = tasks_db.new_row(remember, backend, value=1)
    library = remember.enqueue(value=1)
    assert type(row.id) is type(DBTaskResult.objects.get(pk=library.id).id)
    assert row.id != library.id
    row.save()
    assert tasks_db.ready(row.queue_name, backend.alias).filter(pk=row.pk).exists()


def test_the_worker_runs_every_other_queue_and_reports_how_many_it_ran():
    DONE.clear()
    for value in (1, 2, 3):
        queue.enqueue(remember, value=value)
    queue.enqueue(elsewhere, value=9)
    assert tasks_db.run_tasks("verification", max_tasks=2, worker_id="test") == 2
    assert tasks_db.run_tasks("verification", max_tasks=5, worker_id="test") == 1
    assert sorted(DONE) == [1, 2, 3]
    assert tasks_db.waiting("verification").count() == 1
    finished = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
    assert finished.count() == 3


def test_claims_and_finishes_made_on_the_rows():
    queue.enqueue_many(remember, [{"value": 1}, {"value": 2}])
    ids = list(DBTaskResult.objects.values_list("pk", flat=True))
    now = timezone.now()
    tasks_db.mark_running(ids[:1], now, "worker-1")
    running = DBTaskResult.objects.get(pk=ids[0])
    assert (running.status, running.worker_ids) == (
        TaskResultStatus.RUNNING,
        ["worker-1"],
    )
    assert not DBTaskResult.objects.ready().filter(pk=ids[0]).exists()
    tasks_db.finish(ids[1:], now, TaskResultStatus.FAILED, ValueError("no"))
    failed = DBTaskResult.objects.get(pk=ids[1])
    assert failed.exception_class_path == "builtins.ValueError"
    assert failed.traceback == "no"
    later = now + datetime.timedelta(seconds=1)
    tasks_db.fail_running(remember.queue_name, later, later, "abandoned")
    assert DBTaskResult.objects.get(pk=ids[0]).status == TaskResultStatus.FAILED
    assert list(tasks_db.finished_before(later + datetime.timedelta(seconds=1))) != []
