"""Saving a new application with its first event and what comes with it, in one
transaction.

The caller names what comes with it, as two steps run inside that transaction:
`before(application, isolated)` just before the application is written (it may set
the application's fields and returns more events to write with its "submitted"
one), and `after(application, isolated)` just after, for rows that refer to it.
Each of their parts that writes runs through `step`:

- first attempt (`isolated` False): the part runs bare, with no savepoint, so a
  submission costs as few round trips as it can; a failure is raised as
  `StepFailed` and rolls back the whole submission, which is then saved again;
- second attempt (`isolated` True): each part runs in a savepoint of its own, and
  a failure is logged and the application saved without that part's work.

The confirmation email is queued here, as a part of its own, in the same way."""

import logging
from collections.abc import Callable

from django.db import DatabaseError, transaction

from ier.core import inserts
from ier.registration import lifecycle, notifications
from ier.registration.models import Application, ApplicationEvent, Status

logger = logging.getLogger(__name__)

Before = Callable[[Application, bool], list[ApplicationEvent]]
After = Callable[[Application, bool], None]


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


def save_submitted(application: Application, before: Before, after: After) -> None:
    """Save a new application in one transaction with one commit: the application,
    its "submitted" event, its confirmation email's task and whatever `before` and
    `after` write (the citizen's submission: its duplicate check, looked up before
    the insert, and its queued verification), together or not at all.

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
                _write(application, before, after, False, inserts.draw_key(Application))
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
                _write(application, before, after, isolated)
            return
        except StepFailed:
            if isolated:
                raise
            logger.exception("a step after saving failed; saving again, isolated")
            _unsaved(application)


def _write(
    application: Application,
    before: Before,
    after: After,
    isolated: bool,
    key: inserts.KeyDraw | None = None,
) -> None:
    """The statements of one attempt, inside the caller's transaction; `key` is
    the application's key drawn beforehand (in one round trip)."""
    events = [
        ApplicationEvent(actor="citizen", event="submitted", to_status=Status.SUBMITTED)
    ]
    events += before(application, isolated)
    if key is not None:
        application.pk = key()
    # One plain INSERT, no model signals (Application has no receivers).
    inserts.insert([application])
    for event in events:
        event.application = application
    lifecycle.write_events(events)
    if application.email:
        # Queued in the submission's own transaction (the task is a row in the same
        # database), not after it: one commit, and a rolled-back one queues none.
        step(
            application,
            isolated,
            "could not queue the confirmation email",
            lambda: notifications.queue_confirmation(application),
        )
    after(application, isolated)


def _unsaved(application: Application) -> None:
    application.pk = None
    application._state.adding = True
