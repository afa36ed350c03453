"""Which level of a comparison a pair of records falls in, for the levels whose
conditions are more than one column alike."""

from tests.confirmation.records import normalised_pair

from ier.confirmation import model


def level_of(comparison, left: dict, right: dict) -> str:
    """Return the label of the first level of `comparison` the two records
    (raw fields, as in the register file) meet."""
    con = normalised_pair(left, right)
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
