"""`application_submitting` and `application_submitted`, and how their receivers run
their steps.

Both are sent inside the transaction that saves a new application (sender:
Application, application=..., isolate_failures=...): `application_submitting` just
before the application is written, so a receiver can set its fields and return
unsaved `ApplicationEvent`s to be written with its "submitted" event in one INSERT;
`application_submitted` just after, for rows that refer to it. Receivers that write
(queue work, record checks) do so atomically with the save, through `receiver_step`:

- first attempt (isolate_failures False): the step runs bare, with no savepoint,
  so a submission costs as few round trips as it can; a failure is raised as
  `ReceiverFailed` and rolls back the whole submission, which is then saved again
  (`ier.registration.submission.save_submitted`);
- second attempt (isolate_failures True): each step runs in a savepoint of its own,
  and a failure is logged and the application saved without that step's work."""

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

application_submitting = Signal()
application_submitted = Signal()


class ReceiverFailed(Exception):
    """A receiver's step failed in a submission's first attempt."""


def receiver_step(
    application: Any,
    isolate_failures: bool,
    failure: str,
    step: Callable[[], object],
) -> None:
    if not isolate_failures:
        try:
            step()
        except Exception as error:
            raise ReceiverFailed(failure) from error
        return
    try:
        with transaction.atomic():
            step()
    except Exception:
        logger.exception(failure, extra={"application": application.pk})
