"""Replacing an authority's register entries from a CSV stream, all or nothing.

The body is read line by line and written in chunks, so a register of any size
needs only one chunk in memory (plus the set of elector numbers seen)."""

import csv
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import transaction

from ier.api.problems import Problem
from ier.core.text import columns_with_nul
from ier.geography.models import Authority
from ier.registration import register
from ier.registration.models import RegisterEntry
from ier.registration.register import register_match_key
from ier.registration.validators import MAX_MARKS_PER_LETTER, name_is_valid

CHUNK = 2000


class RowError(Exception):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


def _decoded(lines: Iterable[bytes]) -> Iterator[str]:
    for line in lines:
        try:
            yield line.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Problem(
                400, "bad_encoding", "The register must be UTF-8 text."
            ) from None


def _date(value: str, row: int) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(row, "date_of_birth must be YYYY-MM-DD") from None


def _uprn(value: str, row: int) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise RowError(row, "uprn must be a number of up to 12 digits")
    return int(value)


def _entry(
    authority: Authority | None, record: dict[str, str], row: int
) -> RegisterEntry:
    for name in register.REQUIRED_VALUES:
        if not record.get(name):
            raise RowError(row, "%s is missing" % name)
    for name in register.too_long(record):
        limit = register.LIMITS[name]
        raise RowError(row, "%s is longer than %d characters" % (name, limit))
    for name in register.NAMES:
        if record.get(name) and not name_is_valid(record[name]):
            raise RowError(
                row,
                "%s may hold only letters, accents (at most %d on one letter), "
                "spaces, apostrophes, hyphens and full stops"
                % (name, MAX_MARKS_PER_LETTER),
            )
    dob = _date(record.get("date_of_birth") or "", row)
    return RegisterEntry(
        authority=authority,
        elector_number=record["elector_id"],
        first_name=record["first_name"],
        middle_names=record.get("middle_names") or "",
        last_name=record.get("surname") or "",
        date_of_birth=dob,
        address_line_1=record.get("address_line_1") or "",
        address_line_2=record.get("address_line_2") or "",
        town=record.get("town") or "",
        postcode=record.get("postcode") or "",
        uprn=_uprn(record.get("uprn") or "", row),
        match_key=register_match_key(
            record["first_name"],
            record.get("surname") or "",
            dob,
            record.get("postcode") or "",
        ),
    )


def _records(lines: Iterable[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(_decoded(lines))
    header = register.column_names(next(reader, []))
    missing = register.missing_columns(header)
    if missing:
        raise Problem(
            400,
            "bad_header",
            "The first line must name the columns: %s." % ",".join(register.COLUMNS),
            missing=missing,
        )
    for number, values in enumerate(reader, start=2):
        if not any(values):
            continue
        if len(values) != len(header):
            raise RowError(
                number, "expected %d values, found %d" % (len(header), len(values))
            )
        with_nul = columns_with_nul(zip(header, values, strict=True))
        if with_nul:
            raise RowError(number, "%s holds a NUL character" % ", ".join(with_nul))
        yield (
            number,
            {name: value.strip() for name, value in zip(header, values, strict=True)},
        )


@contextmanager
def _rows_as_problems() -> Iterator[None]:
    try:
        yield
    except (RowError, csv.Error) as error:
        row = getattr(error, "row", None)
        message = getattr(error, "message", str(error))
        raise Problem(
            422,
            "invalid_row",
            "Line %s: %s" % (row, message) if row else message,
            line=row,
        ) from None


def replace_register(authority: Authority, lines: Iterable[bytes]) -> dict[str, int]:
    with _rows_as_problems():
        return _replace(authority, lines)


def count_valid(lines: Iterable[bytes]) -> int:
    """Check a register without keeping it (the sandbox's upload)."""
    with _rows_as_problems():
        return sum(1 for _entry in _entries(None, lines))


def _entries(
    authority: Authority | None, lines: Iterable[bytes]
) -> Iterator[RegisterEntry]:
    seen: set[str] = set()
    for number, record in _records(lines):
        entry = _entry(authority, record, number)
        if entry.elector_number in seen:
            raise RowError(number, "elector_id %s appears twice" % entry.elector_number)
        seen.add(entry.elector_number)
        yield entry


@transaction.atomic
def _replace(authority: Authority, lines: Iterable[bytes]) -> dict[str, int]:
    existing = RegisterEntry.objects.for_authority(authority)
    replaced = existing.count()
    existing.delete()
    chunk: list[RegisterEntry] = []
    total = 0
    for entry in _entries(authority, lines):
        chunk.append(entry)
        if len(chunk) >= CHUNK:
            RegisterEntry.objects.bulk_create(chunk)
            total += len(chunk)
            chunk = []
    RegisterEntry.objects.bulk_create(chunk)
    return {"entries": total + len(chunk), "replaced": replaced}
