"""Real races on PostgreSQL: work run at the same moment in threads of its own, each
with a database connection of its own in autocommit, as web requests and workers
run. What those threads write is committed, so a race test cleans up after itself
(`committed_applications`).

The tests' own transaction never sees a row locked: PostgreSQL's READ COMMITTED
shows every statement the rows others committed before it began."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import QuerySet
from django_tasks_db.models import DBTaskResult

from ier.core.models import RateCount
from ier.ero.models import AuditEntry
from ier.registration.models import Application, ApplicationEvent

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a real race needs PostgreSQL's row locks (SQLite has one writer)",
)


def at_once(*works: Callable[[], Any], timeout: float = 120) -> list[Any]:
    """Run every callable in a thread of its own, all released together; return
    their results in order, or raise the first error one of them raised."""
    start = threading.Barrier(len(works))
    outcomes: list[dict[str, Any]] = [{} for _ in works]

    def run(work, outcome):
        try:
            assert connection.get_autocommit() and not connection.in_atomic_block
            start.wait(timeout)
            outcome["value"] = work()
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(work, outcome))
        for work, outcome in zip(works, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a racer is stuck (a deadlock?)"
    for outcome in outcomes:
        if "error" in outcome:
            raise outcome["error"]
    return [outcome["value"] for outcome in outcomes]


def committed(work: Callable[[], Any]) -> Any:
    """`work` done and committed on a connection of its own."""
    return at_once(work)[0]


@pytest.fixture
def committed_applications(db):
    """Deletes, after the test, every application (with its events, checks,
    verifications and queued tasks), audit entry and rate-limit count committed
    from other connections during it."""
    audit = QuerySet(AuditEntry)  # the model's own manager refuses to delete
    last = Application.objects.order_by("-pk").values_list("pk", flat=True).first()
    last_audit = audit.order_by("-pk").values_list("pk", flat=True).first()
    last_count = RateCount.objects.order_by("-pk").values_list("pk", flat=True).first()

    def clean():
        made = Application.objects.filter(pk__gt=last or 0)
        pks = list(made.values_list("pk", flat=True))
        DBTaskResult.objects.filter(
            args_kwargs__kwargs__application_id__in=pks
        ).delete()
        ApplicationEvent.objects.filter(application_id__in=pks).delete()
        made.delete()  # its checks and verifications go with it
        audit.filter(pk__gt=last_audit or 0).delete()
        RateCount.objects.filter(pk__gt=last_count or 0).delete()

    yield
    committed(clean)
