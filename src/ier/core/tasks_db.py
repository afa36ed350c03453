"""The background-task library's database backend (django-tasks with
django-tasks-db), behind one adapter.

The service reaches past the library's public API in three places, all here:
the backend's id function (`_get_id`, so a task row can be written by a plain
INSERT with the id the backend would give it), the worker's count of tasks run
(`_run_tasks`, which it keeps no public form of), and claims and finishes made
directly on `DBTaskResult` rows (a verification batch claims hundreds of tasks in
one UPDATE). `tests/core/test_tasks_db.py` pins each of them for the versions in
requirements/lock.txt, so an upgrade that changes one fails there, and the move to
Django's own `django.tasks` has this module to change."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

#: Statuses of a task still to finish.
WAITING = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def database_backend(task: Task) -> DatabaseBackend | None:
    backend = task.get_backend()
    return backend if isinstance(backend, DatabaseBackend) else None


def new_row(task: Task, backend: DatabaseBackend, **kwargs: Any) -> DBTaskResult:
    """The unsaved row the database backend writes for `task.enqueue(**kwargs)`."""
    # The backend is typed against Django 6's own tasks module; this is its backport.
    backend.validate_task(task)  # type: ignore[arg-type]
    return DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": [], "kwargs": kwargs}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        # As the library's pre_save receiver does (a plain INSERT sends no signals).
        run_after=task.run_after or get_date_max(),
        backend_name=backend.alias,
    )


def ready(queue_name: str, backend_name: str) -> QuerySet[DBTaskResult]:
    """Tasks of a queue a worker may claim now."""
    return DBTaskResult.objects.ready().filter(
        queue_name=queue_name, backend_name=backend_name
    )


def waiting(queue_name: str) -> QuerySet[DBTaskResult]:
    """Tasks of a queue not finished yet, ready later or running."""
    return DBTaskResult.objects.filter(queue_name=queue_name, status__in=WAITING)


def mark_running(ids: Iterable[Any], at: datetime.datetime, worker: str) -> None:
    DBTaskResult.objects.filter(pk__in=list(ids)).update(
        status=TaskResultStatus.RUNNING, started_at=at, worker_ids=[worker]
    )


def finish(
    ids: Iterable[Any],
    at: datetime.datetime,
    status: str,
    error: Exception | None = None,
) -> None:
    """Record tasks as finished, with the error that ended them, if one did."""
    DBTaskResult.objects.filter(pk__in=list(ids)).update(
        status=status,
        finished_at=at,
        return_value=None,
        exception_class_path="%s.%s"
        % (type(error).__module__, type(error).__qualname__)
        if error
        else "",
        traceback=str(error) if error else "",
    )


def fail_running(
    queue_name: str, started_before: datetime.datetime, at: datetime.datetime, why: str
) -> None:
    """Give up the tasks of a queue running since before `started_before`."""
    DBTaskResult.objects.filter(
        queue_name=queue_name,
        status=TaskResultStatus.RUNNING,
        started_at__lt=started_before,
    ).update(status=TaskResultStatus.FAILED, finished_at=at, exception_class_path=why)


def finished_before(cutoff: datetime.datetime) -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)


def run_tasks(excluded_queue: str, max_tasks: int, worker_id: str) -> int:
    """Run up to `max_tasks` ready tasks of every queue but `excluded_queue`, one
    at a time, with the library's own worker; return how many it ran."""
    runner = Worker(
        queue_names=["*"],
        excluded_queue_names=[excluded_queue],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
    )
    runner.run()
    return runner._run_tasks
