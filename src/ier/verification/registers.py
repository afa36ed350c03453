"""Loading an authority's electoral register from CSV (the R.csv columns of
ARCHITECTURE.md), so new applications can be checked against it.

Idempotent: rows are upserted on (authority, elector number), so loading the same
file twice leaves the same entries; `replace` also removes entries the file no longer
has. Chunked, so a large register never sits in memory; every run is recorded."""

import csv
import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ier.core.text import columns_with_nul
from ier.geography.models import Authority
from ier.geography.postcodes import normalise_postcode
from ier.registration import register
from ier.registration.models import RegisterEntry
from ier.registration.register import register_entry_key
from ier.registration.validators import name_is_valid
from ier.verification.models import RegisterImport

UPDATED_FIELDS = [
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "match_key",
    "loaded_at",
]
MAX_PROBLEMS_KEPT = 100


class RegisterFileError(ValueError):
    pass


@dataclass
class Tally:
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    problems: list[dict] = field(default_factory=list)

    def reject(self, row_number: int, problem: str) -> None:
        self.rejected += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append({"row": row_number, "problem": problem})


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number counting the header as 1, row) for every row of the file."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        reader.fieldnames = register.column_names(list(reader.fieldnames or []))
        missing = register.missing_columns(reader.fieldnames)
        if missing:
            raise RegisterFileError("missing columns: %s" % ", ".join(missing))
        yield from enumerate(reader, start=2)


def _date(text: str) -> datetime.date | None:
    try:
        return (
            datetime.date.fromisoformat(text.strip()) if text and text.strip() else None
        )
    except ValueError:
        return None


def entry_from(
    row: dict[str, str],
    authority: Authority,
    loaded_at: datetime.datetime,
) -> tuple[RegisterEntry | None, str]:
    """The entry for a row, or None and what is wrong with it."""
    values = {name: (row.get(name) or "").strip() for name in register.COLUMNS}
    if not all(values[name] for name in register.REQUIRED_VALUES):
        return None, "%s are required" % " and ".join(register.REQUIRED_VALUES)
    with_nul = columns_with_nul(values)
    if with_nul:
        return None, "holds a NUL character: %s" % ", ".join(with_nul)
    not_names = [
        n for n in register.NAMES if values[n] and not name_is_valid(values[n])
    ]
    if not_names:
        return None, "not a name: %s" % ", ".join(not_names)
    postcode = normalise_postcode(values["postcode"]) or values["postcode"].upper()[:8]
    too_long = register.too_long({**values, "postcode": postcode})
    if too_long:
        return None, "too long: %s" % ", ".join(too_long)
    dob = _date(values["date_of_birth"])
    if values["date_of_birth"] and dob is None:
        return None, "date_of_birth is not an ISO 8601 date"
    entry = RegisterEntry(
        authority=authority,
        elector_number=values["elector_id"],
        first_name=values["first_name"],
        middle_names=values["middle_names"],
        last_name=values["surname"],
        date_of_birth=dob,
        address_line_1=values["address_line_1"],
        address_line_2=values["address_line_2"],
        town=values["town"],
        postcode=postcode,
        loaded_at=loaded_at,
    )
    entry.match_key = register_entry_key(entry)
    return entry, ""


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(rows, size)):
        yield chunk


def load_chunk(entries: list[RegisterEntry]) -> None:
    # A file that repeats an elector number: the last row wins, as a second load would.
    unique = list({entry.elector_number: entry for entry in entries}.values())
    RegisterEntry.objects.bulk_create(
        unique,
        update_conflicts=True,
        unique_fields=["authority", "elector_number"],
        update_fields=UPDATED_FIELDS,
    )


def import_register(
    authority: Authority,
    path: Path,
    chunk_size: int = 5000,
    dry_run: bool = False,
    replace: bool = False,
) -> RegisterImport:
    run = RegisterImport.objects.create(
        authority=authority,
        file_name=path.name[:300],
        file_sha256=file_sha256(path),
        dry_run=dry_run,
        replace=replace,
    )
    tally = Tally()
    try:
        for chunk in _chunks(read_rows(path), chunk_size):
            _import_chunk(chunk, authority, run, tally, dry_run)
        if replace and not dry_run:
            run.rows_removed, _ = RegisterEntry.objects.filter(
                authority=authority, loaded_at__lt=run.started_at
            ).delete()
        run.outcome = RegisterImport.Outcome.FINISHED
    except Exception:
        run.outcome = RegisterImport.Outcome.FAILED
        raise
    finally:
        run.rows_read, run.rows_loaded = tally.read, tally.loaded
        run.rows_rejected, run.problems = tally.rejected, tally.problems
        run.finished_at = timezone.now()
        run.save()
    return run


def _import_chunk(chunk, authority, run, tally: Tally, dry_run: bool) -> None:
    entries = []
    for number, row in chunk:
        tally.read += 1
        entry, problem = entry_from(row, authority, run.started_at)
        if entry is None:
            tally.reject(number, problem)
        else:
            entries.append(entry)
    if not dry_run:
        with transaction.atomic():
            load_chunk(entries)
    tally.loaded += len(entries)
