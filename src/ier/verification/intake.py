"""What verification does as an application is saved: check for duplicates and
queue its verification, inside the transaction that saves it, as the two steps
`ier.registration.lifecycle.submit` takes (`before_insert`,
`after_insert`), each part with no savepoint of its own in the first attempt.

The duplicate lookup runs before the application is written, so a possible duplicate
is flagged in its INSERT and its event written with the "submitted" one; the check's
row is written after. In the second, isolated attempt the whole check runs after the
insert instead, in a savepoint of its own, so a failure there never leaves an
application flagged without its check.

Neither may ever cost the citizen their application: if either fails, the
submission is saved again without that step's work, the failure is logged, and the
sweep queues the verification later."""

from ier.registration import store
from ier.registration.models import Application, ApplicationEvent
from ier.registration.store import step
from ier.verification import duplicates
from ier.verification.models import DuplicateCheck
from ier.verification.tasks import queue_verification, verify_application

FAILED_CHECK = "duplicate check failed"


def before_insert(application: Application, isolated: bool) -> list[ApplicationEvent]:
    application.possible_duplicate = False
    application._duplicates_found = None  # type: ignore[attr-defined]
    if isolated:
        return []  # checked after the insert, in its own savepoint
    found = []
    step(
        application,
        isolated,
        FAILED_CHECK,
        lambda: found.append(duplicates.look_up(application)),
    )
    application._duplicates_found = found[0]  # type: ignore[attr-defined]
    if not found[0].possible_duplicate:
        return []
    application.possible_duplicate = True
    return [found[0].event(application)]


def after_insert(application: Application, isolated: bool) -> None:
    step(
        application,
        isolated,
        "could not queue verification; the sweep will",
        lambda: queue_verification(application.pk),
    )
    found = getattr(application, "_duplicates_found", None)
    if isolated or found is None:
        step(
            application,
            isolated,
            FAILED_CHECK,
            lambda: duplicates.check_at_submission(application),
        )
    else:
        step(
            application,
            isolated,
            FAILED_CHECK,
            lambda: duplicates.record(application, found),
        )


def before_insert_many(applications: list[Application]) -> None:
    """For a batch from another channel (`lifecycle.submit_many`): the duplicate
    lookup of each, before the batch is written, so the flag goes in the INSERT."""
    for application, found in zip(
        applications, duplicates.look_up_many(applications), strict=True
    ):
        application._duplicates_found = found  # type: ignore[attr-defined]
        application.possible_duplicate = found.possible_duplicate


def after_insert_many(applications: list[Application]) -> list[ApplicationEvent]:
    """For the applications of a batch that were written: their duplicate checks
    and queued verifications, each in one INSERT; the flags' events to record."""
    if not applications:
        return []
    checked = [
        (application, application._duplicates_found)  # type: ignore[attr-defined]
        for application in applications
    ]
    duplicates.record_many(checked)
    store.queue_tasks(
        verify_application,
        [
            {"application_id": application.pk, "attempt": 1}
            for application in applications
        ],
    )
    return [
        found.event(application)
        for application, found in checked
        if found.possible_duplicate
    ]


def after_correction(application: Application) -> None:
    """Corrected details are verified again: queued in the correction's own
    transaction, as at submission (the sweep finds any the queue loses). The
    duplicate check is made again on them too: the old check's match key (names,
    date of birth, postcode) no longer says who this is."""
    queue_verification(application.pk)
    DuplicateCheck.objects.filter(application_id=application.pk).delete()
    found = duplicates.check_at_submission(application)
    if application.possible_duplicate and not found.possible_duplicate:
        Application.objects.filter(pk=application.pk).update(possible_duplicate=False)
        application.possible_duplicate = False
