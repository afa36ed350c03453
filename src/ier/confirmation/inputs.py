"""The CSV contract of `ier confirm` (docs/ARCHITECTURE: "CSV contract").

A file that breaks the contract (not CSV, not UTF-8, a missing column, an empty or
repeated id, a field far longer than any name or address) is refused with a
message saying what is wrong and where, before any work starts. Anything else is
accepted as it is, however messy: normalisation deals with it.
"""

# SQL here is assembled from our own constants, table names and quoted paths;
# values from the input files never become SQL text.
# ruff: noqa: S608

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ier.registration.columns import ID_COLUMN, PERSON_COLUMNS

# The register's own columns (defined once, in a module that imports nothing, so
# `ier confirm` still runs without Django); the reference file has the same ones.
FIELDS = PERSON_COLUMNS
# Longer than any real name or address line; longer fields mean a broken file.
MAX_FIELD_CHARS = 1000
MAX_LINE_BYTES = 64 * 1024
HEADER_PEEK_BYTES = 64 * 1024


class InputFileError(Exception):
    """An input file breaks the CSV contract; the message says how and where."""


@dataclass(frozen=True)
class InputFile:
    """One side of the linkage: its path, its role and its id column."""

    path: Path
    role: str
    id_column: str
    fields: tuple[str, ...] = FIELDS

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.id_column, *self.fields)


def register_file(path) -> InputFile:
    return InputFile(Path(path), "register", ID_COLUMN)


def reference_file(path) -> InputFile:
    return InputFile(Path(path), "reference", "person_id")


def _fail(source: InputFile, message: str, *args) -> InputFileError:
    return InputFileError(f"{source.role} file {source.path}: {message % args}")


def read_header(source: InputFile) -> list[str]:
    """Return the header row, or raise InputFileError if the file cannot be read
    as UTF-8 CSV or lacks a contract column."""
    if not source.path.is_file():
        raise _fail(source, "does not exist")
    try:
        with source.path.open("rb") as handle:
            head = handle.read(HEADER_PEEK_BYTES)
    except OSError as error:
        raise _fail(source, "cannot be read (%s)", error.strerror) from error
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if not first_line.strip():
        raise _fail(
            source, "is empty; expected a header row: %s", ",".join(source.columns)
        )
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _fail(
            source,
            "is not UTF-8 (byte %d of the header); save it as UTF-8 CSV",
            error.start,
        ) from error
    header = [name.strip() for name in next(csv.reader([text]))]
    missing = [name for name in source.columns if name not in header]
    if missing:
        raise _fail(
            source,
            "lacks the column(s) %s; the header must name %s",
            ", ".join(missing),
            ",".join(source.columns),
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise _fail(source, "repeats the column(s) %s", ", ".join(repeated))
    return header


def read_csv_sql(source: InputFile, header: list[str]) -> str:
    columns = ", ".join(
        "'{}': 'VARCHAR'".format(name.replace("'", "''")) for name in header
    )
    path = str(source.path).replace("'", "''")
    # No sniffing: every column is text, quoting follows RFC 4180, and a line with
    # more or fewer fields than the header is an error (strict mode).
    return f"""
        read_csv('{path}', header = true, auto_detect = false, delim = ',',
                 quote = '"', escape = '"', columns = {{{columns}}},
                 strict_mode = true, null_padding = false, encoding = 'utf-8',
                 max_line_size = {MAX_LINE_BYTES}, parallel = true)
    """


def load(con: duckdb.DuckDBPyConnection, source: InputFile, table: str) -> int:
    """Load `source` into `table` (row_number, id, fields) and return its row count.

    Raises InputFileError when the file breaks the contract.
    """
    header = read_header(source)
    columns = ", ".join(
        f'trim("{source.id_column}") AS {source.id_column}'
        if name == source.id_column
        else f'"{name}"'
        for name in source.columns
    )
    sql = f"""
        CREATE OR REPLACE TABLE {table} AS
        SELECT row_number() OVER () AS row_number, {columns}
        FROM {read_csv_sql(source, header)}
    """
    try:
        con.execute(sql)
    except (duckdb.InvalidInputException, duckdb.ConversionException) as error:
        raise _fail(
            source, "is not valid CSV: %s", _csv_error_summary(error)
        ) from error
    _check_field_lengths(con, source, table)
    _check_ids(con, source, table)
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


# The parts of DuckDB's CSV errors that say what is wrong and where; the rest
# (the offending line itself, DuckDB's own options) is left out of the message.
_CSV_ERROR_PARTS = (
    "CSV Error on Line",
    "Expected Number of Columns",
    "Invalid unicode",
    "Maximum line size",
    "Value with unterminated quote",
)


def _csv_error_summary(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines()]
    kept = [line for line in lines if line.startswith(_CSV_ERROR_PARTS)]
    return "; ".join(kept or lines[:1])


def _check_field_lengths(con, source: InputFile, table: str) -> None:
    longest = " OR ".join(
        'length("%s") > %d' % (name, MAX_FIELD_CHARS) for name in source.columns
    )
    row = con.execute(
        f"SELECT min(row_number) FROM {table} WHERE {longest}"
    ).fetchall()[0][0]
    if row is not None:
        raise _fail(
            source,
            "data row %d has a field longer than %d characters",
            row,
            MAX_FIELD_CHARS,
        )


def _check_ids(con, source: InputFile, table: str) -> None:
    id_column = source.id_column
    empty = con.execute(
        f"SELECT min(row_number) FROM {table} "
        f"WHERE {id_column} IS NULL OR {id_column} = ''"
    ).fetchall()[0][0]
    if empty is not None:
        raise _fail(source, "data row %d has no %s", empty, id_column)
    repeated = con.execute(
        f"SELECT {id_column}, count(*) FROM {table} GROUP BY ALL "
        "HAVING count(*) > 1 ORDER BY 1 LIMIT 1"
    ).fetchall()
    if repeated:
        raise _fail(
            source,
            "%s %r appears %d times; ids must be unique",
            id_column,
            repeated[0][0],
            repeated[0][1],
        )
