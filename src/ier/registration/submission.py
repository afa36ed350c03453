"""Saving a new application with its first event and what comes with it, in one
transaction."""

import logging
from typing import cast

from django.db import DatabaseError, transaction

from ier.core import inserts
from ier.registration.models import Application, ApplicationEvent, Status
from ier.registration.signals import (
    ReceiverFailed,
    application_submitted,
    application_submitting,
)

logger = logging.getLogger(__name__)


def save_submitted(application: Application) -> None:
    """Save a new application in one transaction with one commit: the application,
    its "submitted" event and whatever the `application_submitting` and
    `application_submitted` receivers write (its duplicate check, looked up before
    the insert, and its queued verification), together or not at all.

    A receiver's step that fails rolls the whole transaction back; the application
    is then saved again with each step in a savepoint of its own, where a failure is
    logged and left to the sweep, so it never costs the person their application.
    Any other failure leaves nothing written and reaches the person as an error.

    On PostgreSQL the first attempt sends every write in one round trip
    (`inserts.one_round_trip`), the way a lone INSERT goes: the new key is drawn
    with the duplicate lookup, in one round trip, then the application, its events,
    its queued tasks and its check travel as one transaction. If anything in it fails (a
    receiver's step, a double click's key, a reference already taken, a receiver
    that writes some other way), nothing is written and the application is saved
    again the ordinary way, which tells those cases apart as above."""
    if inserts.gathering(Application):
        try:
            with inserts.one_round_trip(Application):
                _write(application, False, inserts.draw_key(Application))
            return
        except (DatabaseError, ReceiverFailed, inserts.NotGathered) as error:
            # The class only: a database's message can quote the row's values.
            logger.warning(
                "submission in one round trip failed; saving again",
                extra={"error": type(error).__name__},
            )
            _unsaved(application)
    for isolate_failures in (False, True):
        try:
            with transaction.atomic():
                _write(application, isolate_failures)
            return
        except ReceiverFailed:
            if isolate_failures:
                raise
            logger.exception("a step after saving failed; saving again, isolated")
            _unsaved(application)


def _write(
    application: Application,
    isolate_failures: bool,
    key: inserts.KeyDraw | None = None,
) -> None:
    """The statements of one attempt, inside the caller's transaction; `key` is
    the application's key drawn beforehand (in one round trip)."""
    events = [
        ApplicationEvent(actor="citizen", event="submitted", to_status=Status.SUBMITTED)
    ]
    for _receiver, more in application_submitting.send(
        sender=Application,
        application=application,
        isolate_failures=isolate_failures,
    ):
        events.extend(cast("list[ApplicationEvent]", more or []))
    if key is not None:
        application.pk = key()
    # One plain INSERT each, no model signals: Application has no receivers, and
    # neither a first event nor a flag with the status unchanged is an email
    # (notifications.email_for_event). Nothing reads the events' keys back.
    inserts.insert([application])
    for event in events:
        event.application = application
    inserts.insert(events, keys=False)
    application_submitted.send(
        sender=Application,
        application=application,
        isolate_failures=isolate_failures,
    )


def _unsaved(application: Application) -> None:
    application.pk = None
    application._state.adding = True
