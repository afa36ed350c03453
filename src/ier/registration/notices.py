"""Moved-out notices as the old council reads them: listed (a read, which changes
nothing) and acknowledged exactly once, like the hand-over of applications
(`ier.registration.handover`). How notices are made: `ier.registration.moved_out`."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ier.geography.models import Authority
from ier.registration.handover import UnknownCursor, decode_cursor, encode_cursor
from ier.registration.models import MovedOutNotice

__all__ = ["UnknownCursor"]


def new_notices(authority: Authority):
    return MovedOutNotice.objects.for_authority(authority).filter(
        acknowledged_at__isnull=True
    )


def notice_document(notice: MovedOutNotice) -> dict[str, Any]:
    """A notice as the old council's EMS receives it."""
    return {
        "reference": notice.reference,
        "authority": notice.authority.gss_code,
        "found_by": notice.source,
        "name": {
            "first_name": notice.first_name,
            "middle_names": notice.middle_names,
            "last_name": notice.last_name,
        },
        "previous_name": (
            {
                "first_name": notice.previous_first_name,
                "middle_names": notice.previous_middle_names,
                "last_name": notice.previous_last_name,
            }
            if notice.previous_first_name or notice.previous_last_name
            else None
        ),
        "date_of_birth": notice.date_of_birth,
        "old_address": {
            "uprn": notice.old_uprn,
            "line_1": notice.old_line_1,
            "line_2": notice.old_line_2,
            "line_3": notice.old_line_3,
            "town": notice.old_town,
            "postcode": notice.old_postcode,
        },
        "elector_number": notice.elector_number or None,
        "new_council": {
            "gss_code": notice.new_authority.gss_code,
            "name": notice.new_authority.name,
        },
        "applied_on": notice.applied_on,
        "registered_on": notice.registered_on,
        "created_at": notice.created_at,
        "acknowledged_at": notice.acknowledged_at,
    }


def notices_for(authority: Authority, state: str = "new"):
    """The council's notices, oldest first; `new`: not yet acknowledged."""
    queryset = (
        new_notices(authority)
        if state == "new"
        else MovedOutNotice.objects.for_authority(authority)
    )
    return queryset.select_related("authority", "new_authority").order_by("pk")


def notice_page(
    authority: Authority, *, state: str, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    queryset = notices_for(authority, state)
    if cursor:
        queryset = queryset.filter(pk__gt=decode_cursor(cursor))
    rows = list(queryset[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return [notice_document(n) for n in rows[:limit]], next_cursor


class NoticeNotFound(Exception):
    pass


def scoped_notice(authority: Authority, reference: str) -> MovedOutNotice:
    """The council's notice, or NoticeNotFound: never a sign another council has
    one with this reference."""
    notice = (
        notices_for(authority, "all")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if notice is None:
        raise NoticeNotFound
    return notice


@transaction.atomic
def acknowledge(
    authority: Authority, references_: Iterable[str], actor: str
) -> dict[str, list[str]]:
    """Mark notices as dealt with. Safe to repeat and to race: each is acknowledged
    by one request only; the others are told it already was."""
    wanted = list(dict.fromkeys(r.strip().upper() for r in references_))
    rows = list(
        MovedOutNotice.objects.for_authority(authority)
        .select_for_update()
        .filter(reference__in=wanted)
        # Locks in primary-key order, as everywhere, so two requests never deadlock.
        .order_by("pk")
        .values_list("pk", "reference", "acknowledged_at")
    )
    ready = [(pk, reference) for pk, reference, at in rows if at is None]
    already = {reference for _pk, reference, at in rows if at is not None}
    MovedOutNotice.objects.for_authority(authority).filter(
        pk__in=[pk for pk, _reference in ready]
    ).update(acknowledged_at=timezone.now(), acknowledged_by=actor[:150])
    done = {reference for _pk, reference in ready}
    return {
        "acknowledged": [r for r in wanted if r in done],
        "already_acknowledged": [r for r in wanted if r in already],
        "not_acknowledged": [r for r in wanted if r not in done and r not in already],
    }
