"""Queueing background tasks with a plain INSERT.

`enqueue(task, **kwargs)` writes the very row `task.enqueue(**kwargs)` writes with
django-tasks' database backend (same id, values and defaults; see the test that
compares them), through `ier.core.inserts.insert`, so that a submission's tasks can
travel in its one round trip (`inserts.one_round_trip`) and cost no ORM query
building. What it leaves out: the backend's `task_enqueued` signal, whose only
receiver in the library logs at debug level. Under any other task backend it is
plain `task.enqueue`."""

from collections.abc import Sequence
from typing import Any

from django_tasks.base import Task
from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from ier.core import inserts


def task_row(task: Task, backend: DatabaseBackend, **kwargs: Any) -> DBTaskResult:
    """The unsaved row the database backend writes for `task.enqueue(**kwargs)`."""
    # The backend is typed against Django 6's own tasks module; this is its backport.
    backend.validate_task(task)  # type: ignore[arg-type]
    return DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": [], "kwargs": kwargs}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        # As the library's pre_save receiver does (`insert` sends no signals).
        run_after=task.run_after or get_date_max(),
        backend_name=backend.alias,
    )


def enqueue(task: Task, **kwargs: Any) -> None:
    enqueue_many(task, [kwargs])


def enqueue_many(task: Task, calls: Sequence[dict[str, Any]]) -> None:
    """One task per item of `calls` (its keyword arguments), in one INSERT."""
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        for kwargs in calls:
            task.enqueue(**kwargs)
        return
    rows = [task_row(task, backend, **kwargs) for kwargs in calls]
    inserts.insert(rows, keys=False)
