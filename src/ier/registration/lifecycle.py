"""Moving an application through its life cycle, recording every step.

submitted -> verifying -> verified | partial | not_verified | no_nino -> downloaded
-> accepted | rejected (or evidence_requested first). Every change goes through
`transition`, which writes the event in the same transaction as the change."""

from typing import Any

from django.db import transaction

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
    Status.VERIFIED: {Status.DOWNLOADED},
    Status.PARTIAL: {Status.DOWNLOADED},
    Status.NOT_VERIFIED: {Status.DOWNLOADED},
    Status.NO_NINO: {Status.DOWNLOADED},
    Status.DOWNLOADED: {Status.ACCEPTED, Status.REJECTED, Status.EVIDENCE_REQUESTED},
    Status.EVIDENCE_REQUESTED: {Status.ACCEPTED, Status.REJECTED},
    Status.ACCEPTED: set(),
    Status.REJECTED: set(),
}


class TransitionNotAllowed(Exception):
    pass


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
    if to_status != from_status and to_status not in ALLOWED[Status(from_status)]:
        raise TransitionNotAllowed("%s -> %s" % (from_status, to_status))
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
    return application
