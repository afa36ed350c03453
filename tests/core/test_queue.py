"""`ier.core.queue.enqueue` writes the row django-tasks' database backend writes."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django_tasks_db.models import DBTaskResult

from ier.core import queue
from ier.registration.notifications import send_notification
from ier.verification.tasks import verify_application

pytestmark = pytest.mark.django_db

DIFFERENT_EACH_TIME = {"id", "enqueued_at"}


def rows() -> list[dict]:
    return [
        {k: v for k, v in model_to_dict(row).items() if k not in DIFFERENT_EACH_TIME}
        for row in DBTaskResult.objects.order_by("enqueued_at")
    ]


@pytest.mark.parametrize(
    ("task", "kwargs"),
    [
        (verify_application, {"application_id": 7, "attempt": 2}),
        (send_notification, {"application_id": 7, "kind": "submitted"}),
        (
            verify_application.using(
                run_after=datetime.datetime(2030, 1, 2, tzinfo=datetime.UTC)
            ),
            {"application_id": 8, "attempt": 1},
        ),
    ],
)
def test_the_same_row_as_the_library_writes(task, kwargs):
    task.enqueue(**kwargs)
    library = rows()
    DBTaskResult.objects.all().delete()
    queue.enqueue(task, **kwargs)
    ours = rows()
    assert ours == library
    assert len(ours) == 1
    row = DBTaskResult.objects.get()
    # Ready to run: the worker's own query finds it.
    assert DBTaskResult.objects.ready().filter(pk=row.pk).exists() == (
        task.run_after is None
    )
    assert row.task.func is task.func
