"""Councils merged or abolished: from a date, one authority takes over another's area.

Applying a change records the successor on the old authority; once the date has come
it also moves the old authority's postcodes, addresses, pending applications and
register entries to the successor, writing an "authority_changed" event on each
application (its status stays as it was) and an entry in both councils' audit logs.
Applying the same file again changes nothing."""

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length
from django.utils import timezone

from ier.ero.audit import record
from ier.geography.models import Address, Authority, PostcodeArea
from ier.registration.lifecycle import transition
from ier.registration.models import (
    Application,
    MovedOutNotice,
    RegisterEntry,
    Status,
)

ACTOR = "reorganisation"
COLUMNS = ("old_gss_code", "new_gss_code", "date")


class ReorganisationError(ValueError):
    pass


@dataclass(frozen=True)
class Change:
    old: Authority
    new: Authority
    day: date


@dataclass
class Outcome:
    change: Change
    recorded: bool = False
    due: bool = False
    addresses: int = 0
    postcodes: int = 0
    applications: list[str] = field(default_factory=list)
    register_entries: int = 0
    # Entries moved by an earlier run that the old council's register, loaded
    # again since, replaces.
    register_entries_replaced: int = 0
    notices: int = 0

    def moved_anything(self) -> bool:
        return bool(
            self.addresses
            or self.postcodes
            or self.applications
            or self.register_entries
            or self.register_entries_replaced
            or self.notices
        )


def read_changes(path: Path) -> list[Change]:
    """Changes from a CSV of old GSS code, new GSS code and ISO date, checked in full
    before anything is applied."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise ReorganisationError(
                "%s lacks the columns: %s" % (path.name, ", ".join(sorted(missing)))
            )
        rows = list(reader)
    authorities = {a.gss_code: a for a in Authority.objects.all()}
    return [_change(row, line, authorities) for line, row in enumerate(rows, start=2)]


def _change(row: dict, line: int, authorities: dict[str, Authority]) -> Change:
    old_code, new_code = row["old_gss_code"].strip(), row["new_gss_code"].strip()
    for code in (old_code, new_code):
        if code not in authorities:
            raise ReorganisationError(
                "line %d: there is no authority %s (load it with "
                "`ier import-authorities` first)" % (line, code)
            )
    if old_code == new_code:
        raise ReorganisationError(
            "line %d: %s cannot replace itself" % (line, old_code)
        )
    try:
        day = date.fromisoformat(row["date"].strip())
    except ValueError as exc:
        raise ReorganisationError(
            "line %d: %r is not a date like 2023-04-01" % (line, row["date"])
        ) from exc
    return Change(authorities[old_code], authorities[new_code], day)


def apply_changes(
    changes: list[Change], dry_run: bool = False, today: date | None = None
) -> list[Outcome]:
    """Apply every change in one transaction (or none of them, with `dry_run`)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        outcomes = [_apply(change, today) for change in changes]
        if dry_run:
            transaction.set_rollback(True)
    return outcomes


def _apply(change: Change, today: date) -> Outcome:
    outcome = Outcome(change)
    old = Authority.objects.select_for_update().get(pk=change.old.pk)
    if old.replaced_by_id != change.new.pk or old.replaced_from != change.day:
        old.replaced_by, old.replaced_from = change.new, change.day
        old.save(update_fields=["replaced_by", "replaced_from"])
        outcome.recorded = True
    if change.day <= today:
        outcome.due = True
        outcome.postcodes = _move_postcodes(old, change.new)
        outcome.addresses = Address.objects.filter(authority=old).update(
            authority=change.new
        )
        outcome.applications = _move_applications(change)
        _move_register(change, outcome)
        # The successor keeps the old council's register now, so it deals with
        # the moved-out notices for it.
        outcome.notices = MovedOutNotice.objects.filter(authority=old).update(
            authority=change.new
        )
    if outcome.recorded or outcome.moved_anything():
        _audit(outcome)
    return outcome


def elector_number_prefix(old: Authority) -> str:
    """What a moved register entry's elector number starts with: the old council's
    GSS code. Elector numbers are unique per council, so two merged councils' numbers
    can clash; prefixed, they cannot, nor can they clash with the numbers the
    successor's EMS gives."""
    return "%s:" % old.gss_code


def _move_register(change: Change, outcome: Outcome) -> None:
    """Move the old council's register entries to the successor, each elector number
    prefixed with the old council's GSS code. They serve the "already registered"
    and duplicate checks until the successor's EMS sends its own register, which
    replaces them (see docs/geography.md)."""
    prefix = elector_number_prefix(change.old)
    # The council's own entries (for_authority would add the other councils its
    # registration office serves).
    entries = RegisterEntry.objects.filter(authority=change.old)
    width = RegisterEntry._meta.get_field("elector_number").max_length
    assert width is not None  # a CharField always has one
    room = width - len(prefix)
    too_long = entries.annotate(width=Length("elector_number")).filter(width__gt=room)
    if too_long.exists():
        raise ReorganisationError(
            "%s has %d register entries whose elector numbers are longer than %d "
            "characters: they cannot be prefixed with %s and moved"
            % (change.old.gss_code, too_long.count(), room, prefix)
        )
    if not entries.exists():
        return
    earlier = RegisterEntry.objects.filter(
        authority=change.new, elector_number__startswith=prefix
    )
    outcome.register_entries_replaced, _ = earlier.delete()
    outcome.register_entries = entries.update(
        authority=change.new,
        elector_number=Concat(Value(prefix), F("elector_number")),
    )


def _audit(outcome: Outcome) -> None:
    """One entry in each council's audit log: the old council's officers see where
    their applications and register went, the successor's where theirs came from."""
    change = outcome.change
    detail = {
        "from": change.old.gss_code,
        "to": change.new.gss_code,
        "effective": change.day.isoformat(),
        "in_force": outcome.due,
        "applications": len(outcome.applications),
        "addresses": outcome.addresses,
        "postcodes": outcome.postcodes,
        "register_entries": outcome.register_entries,
        "register_entries_replaced": outcome.register_entries_replaced,
        "notices": outcome.notices,
        "elector_number_prefix": elector_number_prefix(change.old),
    }
    for authority in (change.old, change.new):
        record(authority, ACTOR, "reorganisation", detail=detail)


def _move_postcodes(old: Authority, new: Authority) -> int:
    areas = PostcodeArea.objects.filter(authority=old)
    # Where the successor already has the postcode from the same source, the old
    # council's row is simply dropped.
    already = PostcodeArea.objects.filter(authority=new).values_list(
        "postcode", "source"
    )
    taken = set(already)
    moved = 0
    for area in areas:
        if (area.postcode, area.source) in taken:
            area.delete()
        else:
            area.authority = new
            area.save(update_fields=["authority"])
            moved += 1
    return moved


def _move_applications(change: Change) -> list[str]:
    moved = []
    pending = (
        # This council's own, not its registration office's (which may serve others).
        Application.objects.filter(authority=change.old)
        .exclude(status__in=Status.DECIDED)
        .select_for_update()
        .order_by("pk")
    )
    for application in pending:
        transition(
            application,
            application.status,
            ACTOR,
            event="authority_changed",
            detail={
                "from": change.old.gss_code,
                "to": change.new.gss_code,
                "reason": "reorganisation",
                "effective": change.day.isoformat(),
            },
            authority=change.new,
        )
        moved.append(application.reference)
    return moved
