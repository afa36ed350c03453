"""Text from outside that no database column may hold.

PostgreSQL refuses a NUL (U+0000) in any text value, so a NUL that reached a query
would fail the request with a 500; SQLite stores it. Every way in (forms, the API's
paths, query strings and bodies, CSV files) refuses it with a message naming where
it was, using the checks here."""

from collections.abc import Iterable, Mapping

NUL = "\x00"


def holds_nul(value: object) -> bool:
    return isinstance(value, str) and NUL in value


def columns_with_nul(
    row: Mapping[str, object] | Iterable[tuple[str, object]],
) -> list[str]:
    """The names of a row's values that hold a NUL, in the row's order."""
    items = row.items() if isinstance(row, Mapping) else row
    return [name for name, value in items if holds_nul(value)]
