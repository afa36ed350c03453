"""Plain INSERTs for new rows on a hot path, without the ORM's per-call query building.

Each model's statement is built once; each row's values are prepared field by field
exactly as `Model.save()` prepares them (`pre_save`, so `auto_now` and defaults
apply, then `get_db_prep_save`, so encrypted fields are encrypted), and the new
primary key is read back with RETURNING where the database has it.

What is skipped: model signals (`pre_save`/`post_save`) and `full_clean`. Use it only
for models that have no such receivers, or whose receivers are meant to be skipped."""

from collections.abc import Sequence
from functools import lru_cache

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
    marks = "(%s)" % ", ".join(["%s"] * len(fields))
    sql = "INSERT INTO %s (%s) VALUES %s" % (  # noqa: S608  # nosec B608
        quote(meta.db_table),
        ", ".join(quote(str(field.column)) for field in fields),
        ", ".join([marks] * count),
    )
    returning = auto and connection.features.can_return_rows_from_bulk_insert
    if returning:
        sql += " RETURNING %s" % quote(str(meta.pk.column))
    elif auto and count > 1:
        raise ValueError("this database inserts one row at a time")
    return sql, fields, returning


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
