"""Moving an application through its life cycle, recording every step.

submitted -> verifying -> verified | partial | not_verified | no_nino -> downloaded
-> accepted | rejected (or evidence_requested first). Every change goes through
`transition` (one application) or `transition_many` / `move_locked` (a batch),
which write the event in the same transaction as the change. This module is the
only writer of ApplicationEvent (`write_events` and `record_events` for events
made elsewhere), and the one place that calls their consequences: each write
hands the changes of stage the applicant sees (`CITIZEN_STAGES`) to
`notifications.queue_for`, which emails them once the transaction commits. No
model signal carries this, so no path that writes events can skip it.

A worker verifies, and an EMS acknowledges, hundreds of applications per batch;
moving them one `transition` at a time would cost a savepoint, an UPDATE and an
INSERT each, several times the rest of the work. The batch forms apply the same
allowed moves and record one ApplicationEvent per application, in one UPDATE and
one multi-row INSERT (COPY on PostgreSQL). Every batch change is conditional on the
status (and, for a worker's claim, the moment it claimed) still being what the
caller saw, so two processes can never both move the same application."""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ier.registration import moved_out, notifications, store
from ier.registration.models import Application, ApplicationEvent, Status

ALLOWED = {
    Status.SUBMITTED: {
        Status.VERIFYING,
        Status.VERIFIED,
        Status.PARTIAL,
        Status.NOT_VERIFIED,
        Status.NO_NINO,
    },
    Status.VERIFYING: {
        Status.SUBMITTED,
        Status.VERIFIED,
        Status.PARTIAL,
        Status.NOT_VERIFIED,
        Status.NO_NINO,
    },
    # Back to `submitted` from any of these: details corrected are verified again.
    Status.VERIFIED: {Status.DOWNLOADED, Status.SUBMITTED},
    Status.PARTIAL: {Status.DOWNLOADED, Status.SUBMITTED},
    Status.NOT_VERIFIED: {Status.DOWNLOADED, Status.SUBMITTED},
    Status.NO_NINO: {Status.DOWNLOADED, Status.SUBMITTED},
    Status.DOWNLOADED: {
        Status.ACCEPTED,
        Status.REJECTED,
        Status.EVIDENCE_REQUESTED,
        Status.SUBMITTED,
    },
    Status.EVIDENCE_REQUESTED: {Status.ACCEPTED, Status.REJECTED, Status.SUBMITTED},
    Status.ACCEPTED: set(),
    Status.REJECTED: set(),
}


# What a citizen is told for each status: fewer, plainer stages than officers see.
CITIZEN_STAGES = {
    Status.SUBMITTED: ("received", _("Received")),
    Status.VERIFYING: ("checking", _("Being checked")),
    Status.VERIFIED: ("checking", _("Being checked")),
    Status.PARTIAL: ("checking", _("Being checked")),
    Status.NOT_VERIFIED: ("checking", _("Being checked")),
    Status.NO_NINO: ("checking", _("Being checked")),
    Status.DOWNLOADED: ("council", _("With your council")),
    Status.EVIDENCE_REQUESTED: ("evidence", _("More evidence needed")),
    Status.ACCEPTED: ("registered", _("Registered")),
    Status.REJECTED: ("not-registered", _("Not registered")),
}


_STAGES = {str(status): stage for status, (stage, _label) in CITIZEN_STAGES.items()}


def stage_of(status: str) -> str:
    return _STAGES.get(status, "")


def _tell_applicants(changes: Iterable[tuple[int, str, str]]) -> None:
    """Hand each change of stage the applicant sees, from (application id, from
    status, to status), to the emails. A first event (no from status) is none."""
    notifications.queue_for(
        (pk, stage_of(to_status))
        for pk, from_status, to_status in changes
        if from_status and stage_of(from_status) != stage_of(to_status)
    )


class TransitionNotAllowed(Exception):
    pass


Detail = dict[str, Any] | Callable[[int], dict[str, Any]]
Before = Callable[[Application, bool], list[ApplicationEvent]]
After = Callable[[Application, bool], None]


def _check_allowed(from_status: str, to_status: str) -> None:
    if to_status != from_status and to_status not in ALLOWED[Status(from_status)]:
        raise TransitionNotAllowed("%s -> %s" % (from_status, to_status))


@transaction.atomic
def transition(
    application: Application,
    to_status: str,
    actor: str,
    event: str = "",
    detail: dict[str, Any] | None = None,
    **changes: Any,
) -> Application:
    """Change the status (and any other `changes`) and record who did it and why."""
    from_status = application.status
    _check_allowed(from_status, to_status)
    application.status = to_status
    for name, value in changes.items():
        setattr(application, name, value)
    application.save(update_fields=["status", "updated_at", *changes])
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        event=event or to_status,
        from_status=from_status,
        to_status=to_status,
        detail=detail or {},
    )
    _tell_applicants([(application.pk, from_status, to_status)])
    if to_status == Status.ACCEPTED and from_status != to_status:
        _tell_old_councils([application.pk], timezone.now())
    return application


def _tell_old_councils(accepted: list[int], at: datetime.datetime) -> None:
    """Moved-out notices for the councils the accepted applicants moved from, with
    an event on each application saying which council was told."""
    made = moved_out.create_for_accepted(accepted, at)
    record_events(
        [
            (
                pk,
                at,
                "moved-out notices",
                "moved_out_notice",
                Status.ACCEPTED,
                Status.ACCEPTED,
                {"council": gss_code, "notice": reference},
            )
            for pk, reference, gss_code in made
        ]
    )


def record_events(rows: list[tuple[Any, ...]]) -> None:
    """ApplicationEvent rows as (application id, at, actor, event, from, to, detail)."""
    store.insert_event_rows(rows)
    _tell_applicants((row[0], row[4], row[5]) for row in rows)


def submit(application: Application, before: Before, after: After) -> None:
    """Save a new application, in one transaction with one commit (`store`): the
    application, its "submitted" event, its confirmation email's task and what the
    caller's two steps write, together or not at all. `before(application,
    isolated)` runs just before the application is written (it may set its fields,
    and returns more events to write with the "submitted" one); `after(application,
    isolated)` just after, for rows that refer to it. Each of their parts that
    writes runs through `store.step`, so a part's failure costs the person nothing
    (`store.save_submitted` says how)."""

    def write(isolated: bool, insert_application: Callable[[], None]) -> None:
        events = [
            ApplicationEvent(
                actor="citizen", event="submitted", to_status=Status.SUBMITTED
            )
        ]
        events += before(application, isolated)
        insert_application()
        for event in events:
            event.application = application
        write_events(events)
        if application.email:
            # Queued in the submission's own transaction (the task is a row in the
            # same database), not after it: one commit; a rolled-back one, none.
            store.step(
                application,
                isolated,
                "could not queue the confirmation email",
                lambda: notifications.queue_confirmation(application),
            )
        after(application, isolated)

    store.save_submitted(application, write)


def write_events(events: list[ApplicationEvent]) -> None:
    """Unsaved events made elsewhere (a new application's first ones, a duplicate
    flag), in one INSERT; nothing reads their keys back."""
    store.insert_events(events)
    _tell_applicants(
        (event.application_id, event.from_status, event.to_status) for event in events
    )


def move_locked(
    ids: Iterable[int],
    from_status: str,
    to_status: str,
    actor: str,
    at: datetime.datetime,
    event: str = "",
    detail: Detail | None = None,
    **changes: Any,
) -> list[int]:
    """Move applications the caller has already locked (or found with a conditional
    query in this transaction) and record an event for each."""
    ids = list(ids)
    move_locked_from(
        [(pk, from_status) for pk in ids],
        to_status,
        actor,
        at,
        event,
        detail,
        **changes,
    )
    return ids


def move_locked_from(
    rows: list[tuple[int, str]],
    to_status: str,
    actor: str,
    at: datetime.datetime,
    event: str = "",
    detail: Detail | None = None,
    **changes: Any,
) -> None:
    """`move_locked` for applications coming from different statuses: `rows` are
    (id, status it is in now). One UPDATE and one INSERT whatever the mix."""
    for from_status in {from_status for _pk, from_status in rows}:
        _check_allowed(from_status, to_status)
    if not rows:
        return
    Application.objects.filter(pk__in=[pk for pk, _from in rows]).update(
        status=to_status, updated_at=at, **changes
    )
    shared = {} if detail is None or callable(detail) else detail
    record_events(
        [
            (
                pk,
                at,
                actor,
                event or to_status,
                from_status,
                to_status,
                detail(pk) if callable(detail) else shared,
            )
            for pk, from_status in rows
        ]
    )
    if to_status == Status.ACCEPTED:
        _tell_old_councils(
            [pk for pk, from_status in rows if from_status != to_status], at
        )


def transition_many(
    ids: Iterable[int],
    from_status: str,
    to_status: str,
    actor: str,
    at: datetime.datetime,
    event: str = "",
    detail: Detail | None = None,
    claimed_at: datetime.datetime | None = None,
    **changes: Any,
) -> list[int]:
    """Move those of `ids` still in `from_status` (and still carrying the claim time
    `claimed_at`, when given); return the ones moved."""
    _check_allowed(from_status, to_status)
    with transaction.atomic():
        current = Application.objects.filter(pk__in=list(ids), status=from_status)
        if claimed_at is not None:
            current = current.filter(updated_at=claimed_at)
        # Locks in primary-key order everywhere, so two workers never deadlock.
        locked = list(
            current.select_for_update().order_by("pk").values_list("pk", flat=True)
        )
        return move_locked(
            locked, from_status, to_status, actor, at, event, detail, **changes
        )


BeforeMany = Callable[[list[Application]], None]
AfterMany = Callable[[list[Application]], list[ApplicationEvent]]


def submit_many(
    applications: list[Application],
    actor: str,
    before: BeforeMany,
    after: AfterMany,
) -> list[Application]:
    """Save new applications sent together (a council's batch from another
    channel) in one transaction, and return those written: any whose idempotency
    key is taken already (sent before, or by a request running at the same moment)
    is skipped. `before(applications)` runs before they are written (it may set
    their fields); `after(written)` after, for rows that refer to them, and returns
    more events to record. Each written application gets its "submitted" event and,
    with an email address, its confirmation, as a citizen's does."""
    with transaction.atomic():
        before(applications)
        written = store.save_new(applications)
        record_events(
            [
                (
                    application.pk,
                    application.submitted_at,
                    actor,
                    "submitted",
                    "",
                    Status.SUBMITTED,
                    {"channel": application.channel},
                )
                for application in written
            ]
        )
        write_events(after(written))
        notifications.queue_confirmations(written)
    return written
