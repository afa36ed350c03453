"""Is this person already registered, or already applying? Checked when the
application arrives, in the transaction that saves it, with one query (two indexed
lookups) made before the application is written, so a possible duplicate is flagged
in the INSERT itself.

Both sides are reduced to the project's one match key
(`ier.registration.register.register_match_key`: a keyed hash of the folded first and
last names, the date of birth and the postcode), so an entry loaded by
`ier import-register` or by the EMS API is found the same way. Middle names are left
out on purpose: adding or dropping one is the commonest reason the same person looks
like two. Without a date of birth no match is attempted.

Two submissions from the same person at the same moment (two browsers) can each look
before the other has committed, so neither is flagged then. The worker takes a second
look as it claims applications (`second_look`), when both are committed, and flags
the later one as the submission would have."""

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ier.registration import lifecycle, store
from ier.registration.models import (
    Application,
    ApplicationEvent,
    RegisterEntry,
    Status,
)
from ier.registration.register import register_match_key
from ier.verification.models import DuplicateCheck

PENDING_VALUES = [str(status) for status in Status.UNDECIDED]
MAX_PENDING_MATCHES = 5
ACTOR = "duplicate check"
EVENT = "possible_duplicate"


def application_key(application: Application) -> str:
    if application.date_of_birth is None:
        return ""
    return register_match_key(
        application.first_name,
        application.last_name,
        application.date_of_birth,
        application.address_postcode,
    )


class Found(NamedTuple):
    """What the lookup found for one application."""

    match_key: str
    register_entry_id: int | None
    pending: list[str]

    @property
    def possible_duplicate(self) -> bool:
        return self.register_entry_id is not None or bool(self.pending)

    @property
    def detail(self) -> dict:
        return {
            "on_register": self.register_entry_id is not None,
            "pending_applications": self.pending,
        }

    def event(self, application: Application) -> ApplicationEvent:
        return ApplicationEvent(
            application=application,
            actor=ACTOR,
            event=EVENT,
            from_status=application.status,
            to_status=application.status,
            detail=self.detail,
        )


def _lookup_sql(statuses: int) -> str:
    entries = RegisterEntry._meta.db_table
    checks = DuplicateCheck._meta.db_table
    applications = Application._meta.db_table
    # Each side is limited inside its own subquery, which SQLite and PostgreSQL
    # both accept in a UNION ALL. Only table names and placeholders are formatted in.
    return (  # noqa: S608  # nosec B608
        "SELECT * FROM (SELECT id, '' FROM {entries} WHERE authority_id = %s AND "
        "match_key = %s LIMIT 1) AS on_register UNION ALL SELECT * FROM (SELECT "
        "CAST(NULL AS BIGINT), a.reference FROM {checks} c JOIN {applications} a "
        "ON a.id = c.application_id WHERE c.authority_id = %s AND c.match_key = %s "
        "AND a.status IN ({statuses}) AND c.application_id <> %s LIMIT {limit}) "
        "AS pending"
    ).format(
        entries=entries,
        checks=checks,
        applications=applications,
        statuses=", ".join(["%s"] * statuses),
        limit=MAX_PENDING_MATCHES,
    )


LOOKUP_SQL = _lookup_sql(len(Status.UNDECIDED))


def look_up(application: Application) -> Found:
    """One query for both questions: an entry on the register, and other
    undetermined applications from the same person. Works before the application
    is saved (its own check is left out once it is)."""
    key = application_key(application)
    if not key:
        return Found("", None, [])
    authority = int(application.authority_id)
    params: list[str | int] = [authority, key, authority, key, *PENDING_VALUES]
    params.append(application.pk or 0)
    entry = None
    pending = []
    # Prepared on PostgreSQL: planning this query cost more than running it.
    for entry_id, reference in store.select(LOOKUP_SQL, params):
        if entry_id is not None:
            entry = entry_id
        else:
            pending.append(reference)
    return Found(key, entry, pending)


def record(application: Application, found: Found) -> None:
    """Write the check made for a saved application."""
    store.insert(
        [
            DuplicateCheck(
                application=application,
                authority_id=application.authority_id,
                match_key=found.match_key,
                on_register=found.register_entry_id is not None,
                register_entry_id=found.register_entry_id,
                pending_matches=found.pending,
            )
        ]
    )


def check_at_submission(application: Application) -> Found:
    """The whole check for an application already saved: look up, record and, for
    a possible duplicate, flag it in place (status unchanged) with an event.

    Submissions normally look up before the insert (`look_up`), so the flag goes
    into the INSERT and the event with the "submitted" one; this is for the second,
    isolated attempt (see `ier.registration.store`)."""
    found = look_up(application)
    record(application, found)
    if found.possible_duplicate:
        # Flagged without the savepoint `transition` takes: this runs inside the
        # submission's own transaction.
        Application.objects.filter(pk=application.pk).update(
            possible_duplicate=True, updated_at=timezone.now()
        )
        lifecycle.write_events([found.event(application)])
        application.possible_duplicate = True
    return found


def _earlier_from_the_same_person(
    authority, match_key, application_id, submitted_at, window: datetime.timedelta
):
    """Checks of undetermined applications with the same key in the same council,
    saved before `application_id` and submitted at most `window` before it."""
    return DuplicateCheck.objects.filter(
        authority_id=authority,
        match_key=match_key,
        application_id__lt=application_id,
        application__status__in=Status.UNDECIDED,
        application__submitted_at__gte=submitted_at - window,
    )


def check_unchecked(application_ids: list[int], at: datetime.datetime) -> list[int]:
    """The whole check (look up, record, flag, event), now, for those of these
    applications saved without one: their submission's check failed, and they were
    kept without it. Returns the ones flagged. Exactly once: each is checked under
    its row lock, only if it still has no check; the claim time is left alone."""
    unchecked = list(
        Application.objects.filter(
            pk__in=application_ids, duplicate_check__isnull=True
        ).values_list("pk", flat=True)
    )
    if not unchecked:
        return []
    with transaction.atomic():
        locked = list(
            Application.objects.filter(pk__in=unchecked)
            .select_for_update()
            .order_by("pk")
        )
        # Read after the locks: a check written meanwhile by whoever held one.
        checked = set(
            DuplicateCheck.objects.filter(application_id__in=unchecked).values_list(
                "application_id", flat=True
            )
        )
        flagged = []
        for application in locked:
            if application.pk in checked:
                continue
            found = look_up(application)
            record(application, found)
            if found.possible_duplicate and not application.possible_duplicate:
                Application.objects.filter(pk=application.pk).update(
                    possible_duplicate=True
                )
                event = found.event(application)
                event.at = at
                lifecycle.write_events([event])
                flagged.append(application.pk)
    return flagged


def second_look(application_ids: Iterable[int], at: datetime.datetime) -> list[int]:
    """Flag those of these applications, not flagged yet, that have an earlier
    undetermined application from the same person: the duplicates whose submission
    looked while the earlier one was still being saved. Returns the ones flagged.
    An application saved without its check (`check_unchecked`) is checked first.

    "Earlier" is the order the service saved them in (the id), so of two that raced
    only the later one is flagged, pointing at the earlier, as when they come one
    after the other. The flag, the check's pending matches and the event are those
    the submission writes. Exactly once: each is flagged under its row lock, only
    if no one flagged it first; the claim time (`updated_at`) is left alone."""
    application_ids = list(application_ids)
    checked_now = check_unchecked(application_ids, at)
    window = datetime.timedelta(seconds=settings.DUPLICATE_SECOND_LOOK_SECONDS)
    earlier = _earlier_from_the_same_person(
        OuterRef("authority_id"),
        OuterRef("match_key"),
        OuterRef("application_id"),
        OuterRef("application__submitted_at"),
        window,
    )
    found = list(
        DuplicateCheck.objects.filter(
            application_id__in=application_ids,
            application__possible_duplicate=False,
        )
        .exclude(match_key="")
        .filter(Exists(earlier))
        .order_by("application_id")
        .values_list(
            "application_id", "authority_id", "match_key", "application__submitted_at"
        )
    )
    if not found:
        return checked_now
    with transaction.atomic():
        unflagged = dict(
            Application.objects.filter(
                pk__in=[row[0] for row in found], possible_duplicate=False
            )
            .select_for_update()
            .order_by("pk")
            .values_list("pk", "status")
        )
        events = []
        for pk, authority, key, submitted_at in found:
            if pk not in unflagged:
                continue
            pending = list(
                _earlier_from_the_same_person(authority, key, pk, submitted_at, window)
                .order_by("application_id")
                .values_list("application__reference", flat=True)[:MAX_PENDING_MATCHES]
            )
            DuplicateCheck.objects.filter(application_id=pk).update(
                pending_matches=pending
            )
            status = unflagged[pk]
            detail = Found(key, None, pending).detail
            events.append((pk, at, ACTOR, EVENT, status, status, detail))
        flagged = [row[0] for row in events]
        Application.objects.filter(pk__in=flagged).update(possible_duplicate=True)
        lifecycle.record_events(events)
    return sorted(checked_now + flagged)


def look_up_many(applications: list[Application]) -> list[Found]:
    """`look_up` for a batch about to be saved together, in two queries for the
    whole batch rather than one each; two lines for the same person also find each
    other."""
    keys = [application_key(application) for application in applications]
    wanted: dict[int, set[str]] = {}
    for application, key in zip(applications, keys, strict=True):
        if key:
            wanted.setdefault(int(application.authority_id), set()).add(key)
    entries: dict[tuple[int, str], int] = {}
    pending: dict[tuple[int, str], list[str]] = {}
    for authority, found in wanted.items():
        for key, entry in RegisterEntry.objects.filter(
            authority_id=authority, match_key__in=found
        ).values_list("match_key", "pk"):
            entries.setdefault((authority, key), entry)
        for key, reference in (
            DuplicateCheck.objects.filter(
                authority_id=authority,
                match_key__in=found,
                application__status__in=PENDING_VALUES,
            )
            .order_by("application_id")
            .values_list("match_key", "application__reference")
        ):
            pending.setdefault((authority, key), []).append(reference)
    in_batch: dict[tuple[int, str], list[str]] = {}
    for application, key in zip(applications, keys, strict=True):
        if key:
            place = (int(application.authority_id), key)
            in_batch.setdefault(place, []).append(application.reference)
    results = []
    for application, key in zip(applications, keys, strict=True):
        if not key:
            results.append(Found("", None, []))
            continue
        place = (int(application.authority_id), key)
        others = pending.get(place, []) + [
            reference
            for reference in in_batch[place]
            if reference != application.reference
        ]
        results.append(Found(key, entries.get(place), others[:MAX_PENDING_MATCHES]))
    return results


def record_many(checked: list[tuple[Application, Found]]) -> None:
    """`record` for a batch saved together, in one INSERT."""
    store.insert(
        [
            DuplicateCheck(
                application=application,
                authority_id=application.authority_id,
                match_key=found.match_key,
                on_register=found.register_entry_id is not None,
                register_entry_id=found.register_entry_id,
                pending_matches=found.pending,
            )
            for application, found in checked
        ]
    )
