"""Blocking keys: hashed columns, empty when a part is missing, and left out for
a value that would pair too many electors with too many people."""

import duckdb
import pytest
from tests.confirmation.records import normalised_pair

from ier.confirmation import model, pipeline

NAMES = model.BlockingKey("names", "name_pair", max_pairs=4)


def keys_of(register, reference) -> dict[str, list]:
    con = duckdb.connect()
    for side, names in (("register", register), ("reference", reference)):
        con.execute(f"CREATE TABLE norm_{side} (id VARCHAR, name_pair VARCHAR)")
        con.executemany(f"INSERT INTO norm_{side} VALUES (?, ?)", names)
        pipeline.add_blocking_keys(con, f"norm_{side}", [NAMES])
    pipeline.drop_crowded_keys(con, [NAMES])
    return {
        side: con.execute(
            f"SELECT id, block_names FROM norm_{side} ORDER BY id"
        ).fetchall()
        for side in ("register", "reference")
    }


def test_a_value_within_the_limit_is_kept_on_both_sides_with_one_hash():
    keys = keys_of([("e1", "ann smith")], [("p1", "ann smith"), ("p2", "ann smith")])
    ((_, register_key),) = keys["register"]
    assert register_key is not None
    assert [key for _, key in keys["reference"]] == [register_key, register_key]


def test_a_crowded_value_is_left_out_on_both_sides():
    register = [("e%d" % i, "john smith") for i in range(3)] + [("e9", "ann lee")]
    reference = [("p%d" % i, "john smith") for i in range(2)] + [("p9", "ann lee")]
    keys = keys_of(register, reference)
    assert [key is None for _, key in keys["register"]] == [True, True, True, False]
    assert [key is None for _, key in keys["reference"]] == [True, True, False]


def test_a_missing_part_gives_no_key():
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT 'SW1A 1AA' AS postcode, NULL AS surname")
    key = model.BlockingKey("postcode_surname", model.key_sql("postcode", "surname"))
    pipeline.add_blocking_keys(con, "t", [key])
    assert con.execute("SELECT block_postcode_surname FROM t").fetchall() == [(None,)]


def test_rules_with_dates_of_birth_only_when_both_files_have_them():
    with_dates = {key.name for key in model.blocking_keys(True)}
    without = {key.name for key in model.blocking_keys(False)}
    assert without < with_dates
    assert all(not name.startswith("born_") for name in without)


def shared_keys(left: dict, right: dict) -> set[str]:
    """Return the blocking rules (without dates of birth) that pair the two
    records (raw fields, as in the register file)."""
    con = normalised_pair(left, right)
    keys = model.blocking_keys(False)
    for side in ("l", "r"):
        pipeline.add_blocking_keys(con, f"norm_{side}", keys)
    return {
        key.name
        for key in keys
        if con.execute(
            f"SELECT l.{key.column} = r.{key.column} FROM norm_l l, norm_r r"
        ).fetchall()[0][0]
    }


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param(
            {
                "first_name": "Peregrine",
                "surname": "Quilliamm",
                "town": "Truro",
                "address_line_1": "7 Elm Close",
                "postcode": "TR1 2AB",
            },
            {
                "first_name": "Peregrinne",
                "surname": "Quilliam",
                "town": "Bodmin",
                "address_line_1": "88 Fore Street",
                "postcode": "PL31 2HQ",
            },
            id="moved, a slip past the beginning of each name",
        ),
        pytest.param(
            {
                "first_name": "Marguerite",
                "surname": "Hollins",
                "town": "Helston",
                "address_line_1": "19 Penrose Terrace",
                "postcode": "TR13 8AA",
            },
            {
                "first_name": "Margeurite",
                "surname": "Holins",
                "town": "Helston",
                "address_line_1": "91 Penrose Terace",
                "postcode": "TR13 8AB",
            },
            id="slips in the postcode, the number, the street and both names",
        ),
        pytest.param(
            {
                "first_name": "Wilf",
                "surname": "Tregenza",
                "town": "Mousehole",
                "address_line_1": "3 Raginnis Hill",
                "postcode": "4352",
            },
            {
                "first_name": "Wilfred",
                "surname": "Tregemza",
                "town": "Mousehole",
                "address_line_1": "8 Raginis Hill",
                "postcode": "4325",
            },
            id="slips in the postcode, the number, the street and a name",
        ),
    ],
)
def test_records_with_no_field_intact_still_share_a_key(left, right):
    """No field is the same on both records, so no key made of whole fields
    pairs them; the beginnings of the names, or of the street, still do."""
    assert shared_keys(left, right)
