"""Plain INSERTs for new rows on a hot path, without the ORM's per-call query building.

`insert` takes model instances and sets their new keys; `insert_rows` takes batches
of plain tuples (hundreds of events at once; COPY on PostgreSQL); `one_round_trip`
gathers a transaction's INSERTs and sends them to PostgreSQL as one; `select` runs a
read that comes with every submission.

On PostgreSQL the statements of `one_round_trip` and `select` are prepared: parsed
and planned once per connection, then sent with their values alone (see
`prepared_statements`).

Each model's statement is built once; each row's values are prepared field by field
exactly as `Model.save()` prepares them (`pre_save`, so `auto_now` and defaults
apply, then `get_db_prep_save`, so encrypted fields are encrypted), and the new
primary key is read back with RETURNING where the database has it.

What is skipped: model signals (`pre_save`/`post_save`) and `full_clean`. Use it only
for models that have no such receivers, or whose receivers are meant to be skipped."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from typing import Any, cast

import psycopg
from django.conf import settings
from django.db import DatabaseError, connections, models, router

Fields = tuple[models.Field, ...]


def prepared_statements() -> bool:
    """Whether `one_round_trip` and `select` prepare their statements (PostgreSQL):
    on unless the deployment turned it off (IER_DB_PREPARED_STATEMENTS, for a
    connection pooler that cannot keep prepared statements). Off, they are sent the
    same way, unprepared: planned every time."""
    return bool(getattr(settings, "IER_DB_PREPARED_STATEMENTS", True))


@lru_cache(maxsize=64)
def _statement(
    model: type[models.Model], alias: str, count: int, keys: bool
) -> tuple[str, Fields, bool]:
    """The INSERT of `count` rows, the fields whose values it takes in order, and
    whether it returns their new primary keys. With `keys` False the rows carry
    their own keys (`next_key`) or nobody needs them, and nothing is read back."""
    meta = model._meta
    connection = connections[alias]
    quote = connection.ops.quote_name
    auto = meta.pk is not None and meta.pk.db_returning
    fields = tuple(
        field
        for field in meta.concrete_fields
        if not (auto and field.primary_key) and not field.generated
    )
    sql = _insert_sql(connection, meta.db_table, fields, count)
    returning = keys and auto and connection.features.can_return_rows_from_bulk_insert
    if returning:
        sql += " RETURNING %s" % quote(str(meta.pk.column))
    elif keys and auto and count > 1:
        raise ValueError("this database inserts one row at a time")
    return sql, fields, returning


@lru_cache(maxsize=64)
def _keyed_statement(
    model: type[models.Model], alias: str, count: int
) -> tuple[str, Fields]:
    """The INSERT of `count` rows whose automatic keys are already drawn."""
    meta = model._meta
    fields = tuple(field for field in meta.concrete_fields if not field.generated)
    return _insert_sql(connections[alias], meta.db_table, fields, count), fields


def _insert_sql(
    connection: Any, table: str, fields: Sequence[models.Field], count: int
) -> str:
    """INSERT of `count` rows of `fields`; names come from the model's metadata and
    every value is a parameter."""
    quote = connection.ops.quote_name
    marks = "(%s)" % ", ".join(["%s"] * len(fields))
    return "INSERT INTO %s (%s) VALUES %s" % (  # noqa: S608  # nosec B608
        quote(table),
        ", ".join(quote(str(field.column)) for field in fields),
        ", ".join([marks] * count),
    )


def insert(rows: Sequence[models.Model], *, keys: bool = True) -> None:
    """Insert new instances of one model in one statement; sets their primary keys,
    unless `keys` is False (nobody reads them back). Rows that already carry a key
    drawn by `next_key` are inserted with it. Inside `one_round_trip` the statement
    is gathered, not sent (only rows whose keys nobody reads)."""
    if not rows:
        return
    model = type(rows[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if rows[0].pk is not None and model._meta.pk.db_returning:
        sql, fields = _keyed_statement(model, alias, len(rows))
        returning, keys = False, False
    else:
        sql, fields, returning = _statement(model, alias, len(rows), keys)
    values = [
        field.get_db_prep_save(field.pre_save(row, True), connection)
        for row in rows
        for field in fields
    ]
    found = None  # keys read back, where the database makes them
    gathered = _GATHERED.get()
    if gathered is not None and gathered.alias == alias:
        if keys:
            raise NotGathered("%s rows need their keys read back" % model.__name__)
        gathered.statements.append((sql, values))
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            if returning:
                found = [key[0] for key in cursor.fetchall()]
            elif keys and model._meta.pk.db_returning:
                found = [cursor.lastrowid]
    for index, row in enumerate(rows):
        if found is not None:
            row.pk = found[index]
        row._state.adding = False
        row._state.db = alias


class NotGathered(Exception):
    """A write inside `one_round_trip` that cannot wait for the end of the block."""


@dataclass
class _Gathered:
    alias: str
    statements: list[tuple[str, list[Any]]] = dataclass_field(default_factory=list)
    refused: bool = False
    keys: list["KeyDraw"] = dataclass_field(default_factory=list)

    def reads_only(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: Any,
    ) -> Any:
        if sql.lstrip()[:6].upper() != "SELECT":
            self.refused = True
            raise NotGathered("a write outside the gathered statements")
        return execute(sql, params, many, context)


_NEXTVAL = "SELECT nextval(pg_get_serial_sequence(%s, %s))"


class KeyDraw:
    """The next automatic key of a model, drawn inside `one_round_trip` (see
    `draw_key`); calling it gives the key."""

    def __init__(self, model: type[models.Model]):
        meta = model._meta
        self.model = model
        self.names = [meta.db_table, meta.pk.column]
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            gathered = _GATHERED.get()
            if gathered is not None and self in gathered.keys:
                gathered.keys.remove(self)  # drawn now: not again with a read
            self.value = next_key(self.model)
        return self.value


def draw_key(model: type[models.Model]) -> KeyDraw:
    """Inside `one_round_trip`: the next automatic key of `model`, drawn with the
    block's next `select` (one round trip for both) or on its own if it is asked
    for before one. Rows that refer to it can then be gathered."""
    gathered = _GATHERED.get()
    if gathered is None:
        raise RuntimeError("draw_key is for one_round_trip blocks")
    key = KeyDraw(model)
    gathered.keys.append(key)
    return key


_GATHERED: ContextVar[_Gathered | None] = ContextVar("gathered_writes", default=None)


def gathering(model: type[models.Model]) -> bool:
    """Whether `one_round_trip` can write `model` now: on PostgreSQL, when no round
    trip is being gathered already."""
    connection = connections[router.db_for_write(model)]
    return connection.vendor == "postgresql" and _GATHERED.get() is None


@contextmanager
def one_round_trip(model: type[models.Model]) -> Iterator[None]:
    """Write everything `insert` is given in the block as one transaction, sent in
    one round trip when the block ends: the statements go as one pipeline closed by
    a single Sync, which PostgreSQL runs as one transaction, all or nothing, as it
    runs a lone INSERT. Inside a transaction already open they get a savepoint of
    their own instead, so a failure undoes them alone.

    Reads in the block run at once. Any other write in the block (the ORM's `save`,
    `update`, a raw INSERT, Django's own savepoints) is refused before it reaches
    the database, with `NotGathered`, as it would not be part of the transaction:
    the caller then writes the ordinary way. Check `gathering` first. A failed
    statement is raised as Django's DatabaseError with nothing written."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    gathered = _Gathered(alias)
    token = _GATHERED.set(gathered)
    broken = connection.needs_rollback
    try:
        with connection.execute_wrapper(gathered.reads_only):
            yield
    except BaseException:
        if gathered.refused and not broken and connection.in_atomic_block:
            # The ORM marks an open transaction for rollback when a write fails;
            # a refused write never reached the database, so it is intact.
            connection.needs_rollback = False
        raise
    finally:
        _GATHERED.reset(token)
    if not gathered.statements:
        return
    savepoint = not connection.get_autocommit()
    try:
        with _pipeline(connection) as cursor:
            if savepoint:
                cursor(prepare=False).execute("SAVEPOINT gathered")
            for sql, values in gathered.statements:
                cursor().execute(sql, values)
            if savepoint:
                cursor(prepare=False).execute("RELEASE SAVEPOINT gathered")
    except DatabaseError:
        if savepoint:
            with connection.cursor() as plain:
                plain.execute(
                    "ROLLBACK TO SAVEPOINT gathered; RELEASE SAVEPOINT gathered"
                )
        raise


def select(model: type[models.Model], sql: str, params: Sequence[Any]) -> list[Any]:
    """The rows of a read that runs on every submission. On PostgreSQL it is
    prepared, so it is planned once per connection, not on each call; inside
    `one_round_trip`, the keys waiting to be drawn (`draw_key`) travel with it, in
    one round trip."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with connection.cursor() as plain:
            plain.execute(sql, params)
            return plain.fetchall()
    gathered = _GATHERED.get()
    draws = []
    if gathered is not None and gathered.alias == alias:
        draws = [key for key in gathered.keys if key.value is None]
    with _pipeline(connection, len(draws) > 0) as cursor:
        drawn = [(key, cursor().execute(_NEXTVAL, key.names)) for key in draws]
        read = cursor().execute(sql, params)
    for key, result in drawn:
        key.value = int(result.fetchone()[0])
    return read.fetchall()


@contextmanager
def _pipeline(connection: Any, together: bool = True) -> Iterator[Callable[..., Any]]:
    """Cursors whose statements are prepared and, with `together`, sent in one
    round trip: psycopg's pipeline, which PostgreSQL runs as one transaction (up to
    the single Sync at its end) unless one is open already. Statements go through
    Django's cursor wrapper (its execute wrappers and query log, its errors)."""
    connection.ensure_connection()
    raw = connection.connection

    def cursor(prepare: bool = True) -> Any:
        # Nothing to close afterwards: it holds no server-side state of its own.
        made = _Prepared(raw)
        made.prepare = prepare and prepared_statements()
        if connection.queries_logged:
            return connection.make_debug_cursor(made)
        return connection.make_cursor(made)

    with connection.wrap_database_errors:
        if together:
            with raw.pipeline():
                yield cursor
        else:
            yield cursor


class _Prepared(psycopg.Cursor[Any]):
    """A cursor that binds its values on the server and prepares its statements
    (unless told otherwise), as Django's cursor wrapper cannot ask it to."""

    prepare = True

    def execute(
        self,
        query: Any,
        params: Any = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> "_Prepared":
        if prepare is None:
            prepare = self.prepare
        return super().execute(query, params, prepare=prepare, binary=binary)


def next_key(model: type[models.Model]) -> int:
    """Draw the next automatic key of `model` before its row is written
    (PostgreSQL), so rows that refer to it can be written with it at once."""
    meta = model._meta
    with connections[router.db_for_write(model)].cursor() as cursor:
        cursor.execute(_NEXTVAL, [meta.db_table, meta.pk.column])
        return int(cursor.fetchone()[0])


def insert_rows(
    model: type[models.Model], names: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT many rows at once without a model instance per row: for a batch of
    hundreds, building and saving instances costs more than the database's own work.
    PostgreSQL takes them by COPY, the fastest way in; others by multi-row INSERT."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [cast(models.Field, model._meta.get_field(name)) for name in names]
    adapters = [_adapter(field, connection) for field in fields]
    prepared = [
        [adapt(value) for adapt, value in zip(adapters, row, strict=True)]
        for row in rows
    ]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            columns = ", ".join(quote(str(field.column)) for field in fields)
            with cursor.cursor.copy(
                "COPY %s (%s) FROM STDIN" % (quote(table), columns)
            ) as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
        for start in range(0, len(prepared), size):
            chunk = prepared[start : start + size]
            cursor.execute(
                _insert_sql(connection, table, fields, len(chunk)),
                [value for row in chunk for value in row],
            )


def _adapter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """How a column's values become database values. JSON and time values are
    adapted once per distinct object: a batch's events share one time and one
    detail, and adapting each copy cost more than the INSERT."""
    if not isinstance(field, (models.JSONField, models.DateTimeField)):
        return lambda value: value
    done: dict[int, Any] = {}

    def adapt(value: Any) -> Any:
        # Keyed by identity: every value stays referenced by the rows meanwhile.
        key = id(value)
        if key not in done:
            done[key] = field.get_db_prep_save(value, connection)
        return done[key]

    return adapt


def insert_skipping_conflicts(
    rows: Sequence[models.Model], unique: str
) -> dict[Any, int]:
    """PostgreSQL: new instances of one model in one multi-row INSERT that skips
    every row breaking a unique constraint (ON CONFLICT DO NOTHING); the rows
    written, as {their value of the unique column `unique`: new primary key}. A row
    being written by another transaction at the same moment waits for it, then is
    skipped if that one commits."""
    if not rows:
        return {}
    model = type(rows[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, fields, _returning = _statement(model, alias, len(rows), False)
    quote = connection.ops.quote_name
    column = cast(models.Field, model._meta.get_field(unique)).column
    sql += " ON CONFLICT DO NOTHING RETURNING %s, %s" % (
        quote(str(model._meta.pk.column)),
        quote(str(column)),
    )
    values = [
        field.get_db_prep_save(field.pre_save(row, True), connection)
        for row in rows
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return {key: pk for pk, key in cursor.fetchall()}
