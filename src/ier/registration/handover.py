"""Handing applications over to an authority's EMS, exactly once.

The list is a read: asking again gives the same applications until they are
acknowledged. Acknowledging moves each application to `downloaded` in one
transaction, under a row lock, and answers the same way however often it is
repeated, so a client that lost a response simply asks again."""

import types
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ier.geography.models import Authority
from ier.registration.document import (
    ROW_FIELDS,
    ValuesRow,
    application_document,
    verification_result,
)
from ier.registration.lifecycle import (
    ALLOWED,
    TransitionNotAllowed,
    move_locked_from,
    transition,
)
from ier.registration.models import Application, RegisterEntry, Status


class HandoverError(Exception):
    """A request the hand-over cannot carry out; the message says why, in words
    the caller (an EMS or an officer) can act on."""


class UnknownCursor(HandoverError):
    def __init__(self) -> None:
        super().__init__("The cursor is not one this API gave out.")


class ApplicationNotFound(HandoverError):
    def __init__(self) -> None:
        super().__init__("There is no application with that reference.")


class DateOutOfRange(HandoverError):
    def __init__(self, earliest: date, latest: date) -> None:
        super().__init__("The date must be between the day of application and today.")
        self.earliest = earliest
        self.latest = latest


class OutcomeNotAllowed(HandoverError):
    def __init__(self, current_status: str, outcome: str) -> None:
        super().__init__(
            "An application that is %s cannot become %s." % (current_status, outcome)
        )
        self.current_status = current_status


#: Statuses from which the life cycle allows the hand-over.
READY = [status for status, targets in ALLOWED.items() if Status.DOWNLOADED in targets]


def encode_cursor(pk: int) -> str:
    """Clients must treat the cursor as opaque; today it is the last id sent."""
    return str(pk)


def decode_cursor(cursor: str) -> int:
    if not cursor.isdigit() or len(cursor) > 18:
        raise UnknownCursor
    return int(cursor)


def new_applications(authority: Authority):
    return Application.objects.for_authority(authority).filter(
        status__in=READY, downloaded_at__isnull=True
    )


def application_page(
    authority: Authority,
    *,
    state: str,
    status: str | None,
    submitted_after: datetime | None,
    submitted_before: datetime | None,
    cursor: str | None,
    limit: int,
    where: Q | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of documents in submission order (by id), and the next cursor;
    `where` narrows the list further (the elections an application is in time
    for)."""
    if state == "new":
        queryset = new_applications(authority)
    else:
        queryset = Application.objects.for_authority(authority)
    if status:
        queryset = queryset.filter(status=status)
    if submitted_after:
        queryset = queryset.filter(submitted_at__gt=submitted_after)
    if submitted_before:
        queryset = queryset.filter(submitted_at__lt=submitted_before)
    if where is not None:
        queryset = queryset.filter(where)
    if cursor:
        queryset = queryset.filter(pk__gt=decode_cursor(cursor))
    rows = list(queryset.order_by("pk").values(*ROW_FIELDS)[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1]["id"]) if len(rows) > limit else None
    rows = rows[:limit]
    return _documents(authority, [ValuesRow(row) for row in rows]), next_cursor


def _documents(authority: Authority, rows: list[ValuesRow]) -> list[dict[str, Any]]:
    """Documents for a page, reading verification records and history in one query
    each rather than one per application."""
    if not rows:
        return []
    # The page is a run of ids in order: reading by range is as exact (others in the
    # range are ignored) and far cheaper to send than a list of a thousand ids.
    span = (rows[0].id, rows[-1].id)
    records = _latest_records(authority, span)
    ended = any(r.status not in READY and r.id not in records for r in rows)
    endings = _verification_endings(authority, span) if ended else {}
    return [
        application_document(
            row,
            verification_result(row, records.get(row.id), endings.get(row.id, "white")),
        )
        for row in rows
    ]


def _latest_records(authority: Authority, span: tuple[int, int]) -> dict[int, Any]:
    latest: dict[int, Any] = {}
    values = (
        Application.objects.for_authority(authority)
        .filter(pk__range=span, verifications__isnull=False)
        .values_list(
            "pk",
            "verifications__pk",
            "verifications__result",
            "verifications__checks",
            "verifications__checked_at",
        )
    )
    for pk, record_pk, result, checks, checked_at in values:
        known = latest.get(pk)
        if known is None or (checked_at, record_pk) > (known.checked_at, known.pk):
            latest[pk] = types.SimpleNamespace(
                pk=record_pk, result=result, checks=checks, checked_at=checked_at
            )
    return latest


def _verification_endings(
    authority: Authority, span: tuple[int, int]
) -> dict[int, str]:
    endings: dict[int, tuple] = {}
    values = (
        Application.objects.for_authority(authority)
        .filter(pk__range=span, events__to_status__in=Status.VERIFICATION_OUTCOMES)
        .values_list("pk", "events__at", "events__pk", "events__to_status")
    )
    for pk, at, event_pk, to_status in values:
        if pk not in endings or (at, event_pk) > endings[pk][:2]:
            endings[pk] = (at, event_pk, to_status)
    return {pk: ending[2] for pk, ending in endings.items()}


def _unique(references: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(r.strip().upper() for r in references))


@transaction.atomic
def acknowledge(
    authority: Authority, references: Iterable[str], actor: str
) -> dict[str, list]:
    """Mark a batch as downloaded. Safe to repeat: a retry reports the same
    applications as already acknowledged and changes nothing."""
    wanted = _unique(references)
    rows = list(
        Application.objects.for_authority(authority)
        .select_for_update()
        .filter(reference__in=wanted)
        # Locks in primary-key order, as everywhere, so two requests never deadlock.
        .order_by("pk")
        .values_list("pk", "reference", "status", "downloaded_at")
    )
    ready = [r for r in rows if r[2] in READY and r[3] is None]
    already = {r[1] for r in rows if r[3] is not None}
    # Locked above and still ready: one UPDATE and one INSERT for the batch.
    now = timezone.now()
    move_locked_from(
        [(pk, status) for pk, _reference, status, _downloaded in ready],
        Status.DOWNLOADED,
        actor,
        now,
        event="downloaded",
        downloaded_at=now,
    )
    handed = {r[1] for r in ready}
    return {
        "acknowledged": [r for r in wanted if r in handed],
        "already_acknowledged": [r for r in wanted if r in already],
        "not_acknowledged": [r for r in wanted if r not in handed and r not in already],
    }


def scoped_application(
    authority: Authority, reference: str, lock: bool = False
) -> Application:
    """The authority's application, or 404: never a sign that another authority
    has one with this reference."""
    queryset = Application.objects.for_authority(authority).select_related("authority")
    if lock:
        queryset = queryset.select_for_update()
    application = queryset.filter(reference=reference.strip().upper()).first()
    if application is None:
        raise ApplicationNotFound
    return application


def _determined_at(on: date) -> datetime:
    return timezone.make_aware(datetime.combine(on, time.min))


def _check_date(application: Application, on: date) -> None:
    today = timezone.localdate()
    submitted = timezone.localdate(application.submitted_at)
    if on > today or on < submitted:
        raise DateOutOfRange(submitted, today)


@transaction.atomic
def determine(
    authority: Authority,
    reference: str,
    outcome: str,
    on: date,
    reason: str,
    actor: str,
) -> Application:
    application = scoped_application(authority, reference, lock=True)
    if application.status == outcome:
        return application  # a repeat of a determination already recorded
    _check_date(application, on)
    changes: dict[str, Any] = {}
    if outcome in Status.DECIDED:
        changes["determined_at"] = _determined_at(on)
    try:
        return transition(
            application,
            outcome,
            actor,
            event="determination",
            detail={"date": on.isoformat(), "reason": reason},
            **changes,
        )
    except TransitionNotAllowed:
        raise OutcomeNotAllowed(application.status, outcome) from None


def counts(authority: Authority) -> dict[str, Any]:
    by_status = dict.fromkeys(Status.values, 0)
    rows = (
        Application.objects.for_authority(authority)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    by_status.update(dict(rows))
    return {
        "by_status": by_status,
        "new": new_applications(authority).count(),
        "register_entries": RegisterEntry.objects.for_authority(authority).count(),
    }
