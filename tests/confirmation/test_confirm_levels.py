"""Which level of a comparison a pair of records falls in, for the levels whose
conditions are more than one column alike."""

import duckdb

from ier.confirmation import model, normalise
from ier.registration.columns import REQUIRED_COLUMNS


def level_of(comparison, left: dict, right: dict) -> str:
    """Return the label of the first level of `comparison` the two records
    (raw fields, as in the register file) meet."""
    con = duckdb.connect()
    normalise.install_macros(con)
    for side, fields in (("l", left), ("r", right)):
        values = {name: fields.get(name) for name in REQUIRED_COLUMNS}
        values["elector_id"] = side
        con.execute(
            f"CREATE TABLE raw_{side} AS SELECT 1 AS row_number, "
            + ", ".join("?::VARCHAR AS %s" % name for name in REQUIRED_COLUMNS),
            [values[name] for name in REQUIRED_COLUMNS],
        )
        con.execute(
            f"CREATE TABLE norm_{side} AS "
            + normalise.normalised_sql(f"raw_{side}", "elector_id")
        )
    columns = [row[0] for row in con.execute("DESCRIBE norm_l").fetchall()]
    pair = ", ".join(f"l.{name} AS {name}_l, r.{name} AS {name}_r" for name in columns)
    con.execute(f"CREATE TABLE pair AS SELECT {pair} FROM norm_l l, norm_r r")
    for level in comparison.get_comparison("duckdb").comparison_levels:
        if con.execute(f"SELECT {level.sql_condition} FROM pair").fetchall()[0][0]:
            return level.label_for_charts
    raise AssertionError("no level matched")


def test_a_postcode_slip_with_the_street_missing_on_one_side_is_not_a_move():
    """Two digits of an overseas postcode transposed, and the street left out
    of one record: a missing street is no evidence, the house number agrees."""
    level = level_of(
        model.location_comparison(),
        {"address_line_1": "45", "postcode": "5953"},
        {"address_line_1": "45 Butler Gardens", "postcode": "5935"},
    )
    assert level == "Postcode one slip, same numbers, street alike"


def test_a_postcode_keyed_wrong_and_a_house_number_slipped_still_say_same_street():
    """A letter of the postcode and a digit of the house number keyed wrong:
    no postcode level applies, but the town and the street agree."""
    level = level_of(
        model.location_comparison(),
        {"address_line_1": "623 Burke Street", "town": "Selina", "postcode": "C84NA3K"},
        {"address_line_1": "123 Burke Street", "town": "Selina", "postcode": "C84NA3C"},
    )
    assert level == "Other postcode, same town, street alike"
