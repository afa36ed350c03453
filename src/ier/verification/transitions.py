"""Status changes for many applications at once, recorded as `lifecycle.transition`
records one: the same allowed moves, one ApplicationEvent per application, written in
the same transaction as the change.

A worker moves hundreds of applications per batch; doing that one `transition` at a
time would cost a savepoint, an UPDATE and an INSERT each, several times the rest of
the work. Every change is conditional on the status (and, for a worker's claim, the
moment it claimed) still being what the caller saw, so two processes can never both
move the same application."""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

from ier.registration.lifecycle import ALLOWED, TransitionNotAllowed
from ier.registration.models import Application, ApplicationEvent, Status

Detail = dict[str, Any] | Callable[[int], dict[str, Any]]


def _check_allowed(from_status: str, to_status: str) -> None:
    if to_status != from_status and to_status not in ALLOWED[Status(from_status)]:
        raise TransitionNotAllowed("%s -> %s" % (from_status, to_status))


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
    _check_allowed(from_status, to_status)
    if not ids:
        return ids
    Application.objects.filter(pk__in=ids).update(
        status=to_status, updated_at=at, **changes
    )
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application_id=pk,
                at=at,
                actor=actor,
                event=event or to_status,
                from_status=from_status,
                to_status=to_status,
                detail=detail(pk) if callable(detail) else (detail or {}),
            )
            for pk in ids
        ]
    )
    return ids


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
