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


def test_a_wrong_postcode_and_town_with_a_mistyped_street_still_say_same_address():
    """The postcode keyed wrong beyond a slip, the town left out of one record
    and every word of the street mistyped: the house number and the street
    as a whole still agree."""
    level = level_of(
        model.location_comparison(),
        {"address_line_1": "7 Kestrel Rise", "postcode": "6129"},
        {
            "address_line_1": "7 Kestrle Rsie",
            "town": "Wyndham Flats",
            "postcode": "6839",
        },
    )
    assert level == "Other postcode and town, same numbers, street alike"


def test_a_slipped_postcode_with_the_street_mistyped_twice_is_partly_alike():
    """A postcode digit slipped, the house number wrong and the street
    mistyped twice, in another town: the postcode and the street are near."""
    level = level_of(
        model.location_comparison(),
        {"address_line_1": "14 Tamarisk Grove", "town": "Kerang", "postcode": "3579"},
        {"address_line_1": "41 Tarmarsk Gorv", "town": "Kerong", "postcode": "3578"},
    )
    assert level == "Postcode one slip, street somewhat alike"


def test_a_wrong_postcode_and_house_number_in_one_town_are_partly_alike():
    """The postcode keyed wrong beyond a slip, the house number wrong and the
    street mistyped twice: the town agrees, the street is near."""
    level = level_of(
        model.location_comparison(),
        {"address_line_1": "14 Tamarisk Grove", "town": "Kerang", "postcode": "3579"},
        {"address_line_1": "41 Tarmarsk Gorv", "town": "Kerang", "postcode": "3518"},
    )
    assert level == "Other postcode, same town, street somewhat alike"


def test_a_slipped_postcode_in_the_same_town_with_the_street_left_out():
    """A postcode digit slipped, the house number wrong and the street left
    out of one record: the postcode is near and the town agrees."""
    level = level_of(
        model.location_comparison(),
        {"address_line_1": "307", "town": "Susanstad", "postcode": "3012"},
        {
            "address_line_1": "370 Henderson Common",
            "town": "Susanstad",
            "postcode": "2012",
        },
    )
    assert level == "Postcode one slip, same town"


def test_a_wrong_postcode_with_the_street_left_out_in_the_same_town():
    """The postcode keyed wrong beyond a slip and the street left out of one
    record: the town and the house number agree."""
    level = level_of(
        model.location_comparison(),
        {"address_line_1": "258", "town": "Dorisfurt", "postcode": "6129"},
        {"address_line_1": "258 Sarah Cliffs", "town": "Dorisfurt", "postcode": "6839"},
    )
    assert level == "Other postcode, same town and numbers, no street"


def test_only_the_street_alike_is_weak_evidence_not_else():
    """The postcode keyed wrong beyond a slip, the house number slipped and the
    town mistyped: only the street agrees."""
    level = level_of(
        model.location_comparison(),
        {
            "address_line_1": "249 Pierce Subway",
            "town": "North Michael",
            "postcode": "2570",
        },
        {
            "address_line_1": "250 Pierce Subway",
            "town": "North Michae1",
            "postcode": "8571",
        },
    )
    assert level == "Street alike"


def test_only_the_postcode_one_slip_away_is_weak_evidence_not_else():
    level = level_of(
        model.location_comparison(),
        {"address_line_1": "88", "town": "Brtet Ville", "postcode": "V54V7ET"},
        {
            "address_line_1": "89 O'Hora Street",
            "town": "Brett Ville",
            "postcode": "V54V0ET",
        },
    )
    assert level == "Postcode one slip"


def test_a_street_alike_is_asked_before_a_common_word():
    """The postcode keyed wrong beyond a slip and the street mistyped: the
    street as a whole is alike, more than the common word both share."""
    level = level_of(
        model.location_comparison(),
        {"address_line_1": "41 Quarry Lane", "town": "Kerang", "postcode": "6129"},
        {"address_line_1": "41 Quary Lane", "town": "Kerang", "postcode": "6839"},
    )
    assert level == "Other postcode, same town and numbers, street alike"
