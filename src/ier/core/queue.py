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

from ier.core import inserts, tasks_db


def enqueue(task: Task, **kwargs: Any) -> None:
    enqueue_many(task, [kwargs])


def enqueue_many(task: Task, calls: Sequence[dict[str, Any]]) -> None:
    """One task per item of `calls` (its keyword arguments), in one INSERT."""
    backend = tasks_db.database_backend(task)
    if backend is None:
        for kwargs in calls:
            task.enqueue(**kwargs)
        return
    rows = [tasks_db.new_row(task, backend, **kwargs) for kwargs in calls]
    inserts.insert(rows, keys=False)
