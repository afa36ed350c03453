"""Writing many address and postcode rows fast: PostgreSQL's COPY into a staging
table then one upsert, or batched upserts on SQLite.

Both write with "insert, or update the row a previous load wrote": a UPRN (or a
postcode-council pair) already written by the same import run is left alone and
counted as a duplicate, so the first row of a file wins and reloading a file changes
nothing."""

import csv
import io
from collections.abc import Sequence

from django.db import IntegrityError, connection, transaction
from psycopg import errors as psycopg_errors

ADDRESS_COLUMNS = (
    "uprn",
    "line_1",
    "line_2",
    "line_3",
    "town",
    "postcode",
    "authority_id",
    "sort_key",
    "synthetic",
    "import_run_id",
)
# Columns that may be NULL; every other column is NOT NULL.
NULLABLE = ("import_run_id",)
AREA_COLUMNS = ("postcode", "authority_id", "source", "synthetic", "import_run_id")
DIVISION_COLUMNS = (
    "postcode",
    "ward_gss",
    "county_division_gss",
    "constituency_gss",
    "synthetic",
    "import_run_id",
)


class UpsertWriter:
    """Writes rows of `columns` into `table`, keyed on `conflict` columns."""

    def __init__(self, table: str, columns: Sequence[str], conflict: Sequence[str]):
        self.table = table
        self.columns = tuple(columns)
        self.conflict = tuple(conflict)
        self.postgres = connection.vendor == "postgresql"
        self._staged = False
        # Try COPY straight into the table until a key clashes (see _copy_straight).
        self.straight = True

    def _upsert_tail(self) -> str:
        updates = ", ".join(
            "%s = excluded.%s" % (c, c) for c in self.columns if c not in self.conflict
        )
        distinct = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        return (
            " ON CONFLICT (%s) DO UPDATE SET %s WHERE %s.import_run_id %s "
            "excluded.import_run_id"
            % (", ".join(self.conflict), updates, self.table, distinct)
        )

    def write(self, rows: list[tuple], copy_text: str = "", copy_rows: int = 0) -> int:
        """Write `rows` (no two with the same key), and on PostgreSQL `copy_rows`
        more already formatted by `copy_text()`; returns how many were written."""
        if self.postgres:
            if not rows and not copy_rows:
                return 0
            return self._copy(copy_text + copy_text_of(rows), copy_rows + len(rows))
        if copy_rows:
            raise ValueError("pre-formatted rows are for PostgreSQL's COPY only")
        if not rows:
            return 0
        # Table and column names are this module's constants, never input.
        sql = "INSERT INTO %s (%s) VALUES (%s)%s" % (  # noqa: S608
            self.table,
            ", ".join(self.columns),
            ", ".join(["%s"] * len(self.columns)),
            self._upsert_tail(),
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
            return cursor.rowcount

    def _copy(self, data: str, count: int) -> int:
        with connection.cursor() as cursor:
            # Losing the last few commits in a crash is safe: progress is committed
            # with each chunk, so a restarted load redoes exactly what was lost.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            if self.straight and self._copy_straight(cursor, data):
                return count
            return self._copy_upsert(cursor, data)

    def _copy_sql(self, table: str) -> str:
        # None is written as "" too: FORCE_NULL reads it back as NULL.
        return "COPY %s (%s) FROM STDIN (FORMAT csv, FORCE_NULL (%s))" % (
            table, ", ".join(self.columns), ", ".join(NULLABLE),
        )  # fmt: skip

    def _copy_straight(self, cursor, data: str) -> bool:
        """COPY into the table itself: the fastest way in, as long as no key is
        there already. At the first clash, this and every later chunk go through
        the staging table and the upsert instead."""
        try:
            with transaction.atomic(), cursor.copy(self._copy_sql(self.table)) as copy:
                copy.write(data)
        except (IntegrityError, psycopg_errors.UniqueViolation):
            self.straight = False
            return False
        return True

    def _copy_upsert(self, cursor, data: str) -> int:
        stage = "ier_stage_%s" % self.table
        columns = ", ".join(self.columns)
        if not self._staged:
            # A session-local table without indexes or WAL: COPY into it is cheap.
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS %s AS "  # noqa: S608
                "SELECT %s FROM %s WITH NO DATA" % (stage, columns, self.table)
            )
            self._staged = True
        cursor.execute("TRUNCATE %s" % stage)
        with cursor.copy(self._copy_sql(stage)) as copy:
            copy.write(data)
        cursor.execute(
            "INSERT INTO %s (%s) SELECT %s FROM %s%s"  # noqa: S608
            % (self.table, columns, columns, stage, self._upsert_tail())
        )
        return cursor.rowcount


def copy_text_of(rows: list[tuple]) -> str:
    """`rows` as the CSV that `UpsertWriter` sends to COPY. Parsing processes call
    this themselves, so that only one string per chunk comes back to the loader."""
    if not rows:
        return ""
    buffer = io.StringIO()
    # CSV written by the C csv module: strings quoted (so "" stays an empty
    # string), numbers and booleans as they are.
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC).writerows(rows)
    return buffer.getvalue()


def address_writer() -> UpsertWriter:
    return UpsertWriter("geography_address", ADDRESS_COLUMNS, ("uprn",))


def area_writer() -> UpsertWriter:
    return UpsertWriter(
        "geography_postcodearea", AREA_COLUMNS, ("postcode", "authority_id", "source")
    )


def division_writer() -> UpsertWriter:
    return UpsertWriter("geography_postcodedivision", DIVISION_COLUMNS, ("postcode",))


def analyse() -> None:
    """Refresh the planner's statistics after a bulk load: without them PostgreSQL
    plans queries on the address table as if it were still empty (a nested loop over
    millions of rows instead of a hash join)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE geography_address, geography_postcodearea, "
                "geography_postcodedivision"
            )
