"""A name held by exactly one elector and exactly one person becomes a blocking
key (`unique_name`); any other name does not."""

import duckdb

from ier.confirmation import pipeline


def names_seen_once(register, reference) -> set[tuple[str, str]]:
    con = duckdb.connect()
    for side, names in (("register", register), ("reference", reference)):
        con.execute(f"CREATE TABLE norm_{side} (first_name VARCHAR, surname VARCHAR)")
        con.executemany(f"INSERT INTO norm_{side} VALUES (?, ?)", names)
    pipeline.find_names_seen_once(con)
    return set(con.execute("SELECT first_name, surname FROM ier_names_once").fetchall())


def test_a_name_found_once_on_each_side_is_kept():
    found = names_seen_once(
        register=[("ottoline", "quayle"), ("john", "smith"), ("john", "smith")],
        reference=[("ottoline", "quayle"), ("john", "smith")],
    )
    assert found == {("ottoline", "quayle")}


def test_a_name_on_one_side_only_or_incomplete_is_not_kept():
    found = names_seen_once(
        register=[("ottoline", "quayle"), (None, "quayle"), ("ann", None)],
        reference=[("ottoline", "quayles"), (None, "quayle"), ("ann", None)],
    )
    assert found == set()
