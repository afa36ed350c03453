"""Plain INSERTs for new rows on a hot path, without the ORM's per-call query building.

`insert` takes model instances and sets their new keys; `insert_rows` takes batches
of plain tuples (hundreds of events at once; COPY on PostgreSQL).

Each model's statement is built once; each row's values are prepared field by field
exactly as `Model.save()` prepares them (`pre_save`, so `auto_now` and defaults
apply, then `get_db_prep_save`, so encrypted fields are encrypted), and the new
primary key is read back with RETURNING where the database has it.

What is skipped: model signals (`pre_save`/`post_save`) and `full_clean`. Use it only
for models that have no such receivers, or whose receivers are meant to be skipped."""

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, cast

from django.db import connections, models, router

Fields = tuple[models.Field, ...]


@lru_cache(maxsize=64)
def _statement(
    model: type[models.Model], alias: str, count: int
) -> tuple[str, Fields, bool]:
    """The INSERT of `count` rows, the fields whose values it takes in order, and
    whether it returns their new primary keys."""
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
    returning = auto and connection.features.can_return_rows_from_bulk_insert
    if returning:
        sql += " RETURNING %s" % quote(str(meta.pk.column))
    elif auto and count > 1:
        raise ValueError("this database inserts one row at a time")
    return sql, fields, returning


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


def insert(rows: Sequence[models.Model]) -> None:
    """Insert new instances of one model in one statement; sets their primary keys."""
    if not rows:
        return
    model = type(rows[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, fields, returning = _statement(model, alias, len(rows))
    values = [
        field.get_db_prep_save(field.pre_save(row, True), connection)
        for row in rows
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if returning:
            keys = [found[0] for found in cursor.fetchall()]
        elif model._meta.pk.db_returning:
            keys = [cursor.lastrowid]
        else:
            keys = [row.pk for row in rows]
    for row, key in zip(rows, keys, strict=True):
        row.pk = key
        row._state.adding = False
        row._state.db = alias


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
