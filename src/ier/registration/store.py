"""Where the application's domain meets the devices that make its hot paths fast,
called by intent: save a new application (`save_submitted`), write events
(`insert_events`, `insert_event_rows`), queue tasks (`queue_tasks`), run the read
that comes with every submission (`select`) and write rows made for it (`insert`).

Behind it: plain INSERTs built once per model (`ier.core.inserts`), COPY for a
batch's events, tasks queued as plain rows (`ier.core.queue`), and on PostgreSQL a
submission sent in one round trip as a pipeline of prepared statements (ADR 0006).
Domain code never calls those devices itself, so each can change, or be switched
off (`IER_DB_PREPARED_STATEMENTS`), here alone. None of them sends model signals:
nothing in the domain relies on one.

A submission's steps (`ier.registration.lifecycle.submit`) run each of their parts
that writes through `step`:

- first attempt (`isolated` False): the part runs bare, with no savepoint, so a
  submission costs as few round trips as it can; a failure is raised as
  `StepFailed` and rolls back the whole submission, which is then saved again;
- second attempt (`isolated` True): each part runs in a savepoint of its own, and
  a failure is logged and the application saved without that part's work."""

import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DatabaseError, connections, models, router, transaction
from django_tasks.base import Task

from ier.core import inserts, queue
from ier.registration.models import Application, ApplicationEvent

logger = logging.getLogger(__name__)

Write = Callable[[bool, Callable[[], None]], None]
EVENT_FIELDS = (
    "application",
    "at",
    "actor",
    "event",
    "from_status",
    "to_status",
    "detail",
)


class StepFailed(Exception):
    """A part of a submission's step failed in its first attempt."""


def step(
    application: Application,
    isolated: bool,
    failure: str,
    part: Callable[[], object],
) -> None:
    """Run one part of a step: bare in the first attempt, in a savepoint whose
    failure is logged (as `failure`) in the second."""
    if not isolated:
        try:
            part()
        except Exception as error:
            raise StepFailed(failure) from error
        return
    try:
        with transaction.atomic():
            part()
    except Exception:
        logger.exception(failure, extra={"application": application.pk})


def save_submitted(application: Application, write: Write) -> None:
    """Run `write` (the statements of a new application: `lifecycle.submit`) as one
    transaction with one commit, everything it writes together or not at all.
    `write(isolated, insert_application)` calls `insert_application()` to write the
    application itself, once the values are final.

    A step's part that fails rolls the whole transaction back; the application
    is then saved again with each step in a savepoint of its own, where a failure is
    logged and left to the sweep, so it never costs the person their application.
    Any other failure leaves nothing written and reaches the person as an error.

    On PostgreSQL the first attempt sends every write in one round trip
    (`inserts.one_round_trip`), the way a lone INSERT goes: the new key is drawn
    with the duplicate lookup, in one round trip, then the application, its events,
    its queued tasks and its check travel as one transaction. If anything in it fails (a
    step's part, a double click's key, a reference already taken, a part that writes
    some other way), nothing is written and the application is saved
    again the ordinary way, which tells those cases apart as above."""
    if inserts.gathering(Application):
        try:
            with inserts.one_round_trip(Application):
                _attempt(application, write, False, inserts.draw_key(Application))
            return
        except (DatabaseError, StepFailed, inserts.NotGathered) as error:
            # The class only: a database's message can quote the row's values.
            logger.warning(
                "submission in one round trip failed; saving again",
                extra={"error": type(error).__name__},
            )
            _unsaved(application)
    for isolated in (False, True):
        try:
            with transaction.atomic():
                _attempt(application, write, isolated)
            return
        except StepFailed:
            if isolated:
                raise
            logger.exception("a step after saving failed; saving again, isolated")
            _unsaved(application)


def _attempt(
    application: Application,
    write: Write,
    isolated: bool,
    key: inserts.KeyDraw | None = None,
) -> None:
    """One attempt, inside the caller's transaction; `key` is the application's
    key drawn beforehand (in one round trip)."""

    def insert_application() -> None:
        if key is not None:
            application.pk = key()
        # One plain INSERT, no model signals (Application has no receivers).
        inserts.insert([application])

    write(isolated, insert_application)


def _unsaved(application: Application) -> None:
    application.pk = None
    application._state.adding = True


def insert_events(events: Sequence[ApplicationEvent]) -> None:
    """Unsaved events in one INSERT; nothing reads their keys back."""
    inserts.insert(events, keys=False)


def insert_event_rows(rows: list[tuple[Any, ...]]) -> None:
    """Events as rows of `EVENT_FIELDS`, in one multi-row INSERT (COPY on
    PostgreSQL)."""
    inserts.insert_rows(ApplicationEvent, EVENT_FIELDS, rows)


def insert(rows: Sequence[models.Model]) -> None:
    """New rows of a model with no save receivers, keys not read back."""
    inserts.insert(rows, keys=False)


def queue_tasks(task: Task, calls: Sequence[dict[str, Any]]) -> None:
    """One task per item of `calls` (its keyword arguments), in one INSERT, in the
    caller's transaction (so in a submission's round trip)."""
    queue.enqueue_many(task, calls)


def select(sql: str, params: Sequence[Any]) -> list[Any]:
    """The rows of the read that comes with every submission (prepared on
    PostgreSQL)."""
    return inserts.select(Application, sql, params)


def save_new(applications: Sequence[Application]) -> list[Application]:
    """New applications in one statement, skipping any whose idempotency key (or
    other unique value) is already taken, by an earlier request or by one running
    at the same moment; returns those written, with their keys. PostgreSQL: one
    multi-row INSERT ... ON CONFLICT DO NOTHING; others: `bulk_create` ignoring
    conflicts, then the written ones read back by key and reference."""
    if not applications:
        return []
    by_key = {application.idempotency_key: application for application in applications}
    if connection_for(Application).vendor == "postgresql":
        written = inserts.insert_skipping_conflicts(applications, "idempotency_key")
    else:
        Application.objects.bulk_create(applications, ignore_conflicts=True)
        written = {
            key: pk
            for pk, key, reference in Application.objects.filter(
                idempotency_key__in=list(by_key)
            ).values_list("pk", "idempotency_key", "reference")
            if by_key[key].reference == reference
        }
    saved = []
    for key, pk in written.items():
        application = by_key[key]
        application.pk = pk
        application._state.adding = False
        saved.append(application)
    return saved


def connection_for(model: type[models.Model]) -> Any:
    return connections[router.db_for_write(model)]
