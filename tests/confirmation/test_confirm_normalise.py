"""Normalisation: both files reduced to the same spelling of the same thing."""

import duckdb
import pytest

from ier.confirmation import normalise
from ier.registration.columns import REQUIRED_COLUMNS

COLUMNS = REQUIRED_COLUMNS  # the register file: its columns less the optional uprn


def normalised(**fields) -> dict:
    con = duckdb.connect()
    normalise.install_macros(con)
    values = {name: fields.get(name) for name in COLUMNS} | {"elector_id": "E1"}
    con.execute(
        "CREATE TABLE raw AS SELECT 1 AS row_number, "
        + ", ".join("?::VARCHAR AS %s" % name for name in COLUMNS),
        [values[name] for name in COLUMNS],
    )
    relation = con.execute(normalise.normalised_sql("raw", "elector_id"))
    names = [column[0] for column in relation.description]
    return dict(zip(names, relation.fetchall()[0], strict=True))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("  Sw1a   1aa ", "SW1A 1AA"),
        ("SW1A-1AA", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("B338TH", "B33 8TH"),
        ("B33 OTH", "B33 0TH"),
        ("not known", "NOTKNOWN"),
        ("4223", "4223"),
        ("D02 X285", "D02X285"),
        ("K1A 0B1", "K1A0B1"),
        ("", None),
        (None, None),
    ],
)
def test_postcodes_are_read_whatever_their_format(written, expected):
    assert normalised(postcode=written)["postcode"] == expected


def test_a_postcode_gives_its_sector_district_and_area():
    row = normalised(postcode="ls6 2ab")
    assert (row["postcode_sector"], row["postcode_district"], row["postcode_area"]) == (
        "LS6 2",
        "LS6",
        "LS",
    )


def test_an_unreadable_postcode_has_no_area():
    row = normalised(postcode="abc")
    assert row["postcode"] == "ABC"
    assert row["postcode_area"] is None


def test_names_lose_case_accents_punctuation_and_titles():
    row = normalised(first_name="Mr. Zoë-Anne", middle_names="Marie", surname="O'Brien")
    assert row["first_name"] == "zoe"
    assert row["middle_names"] == "anne marie"
    assert row["surname"] == "obrien"


def test_double_surnames_compare_whole_and_by_part():
    row = normalised(surname="Smith-Jones")
    assert row["surname"] == "smithjones"
    assert row["surname_tokens"] == ["smith", "jones"]


def test_a_title_alone_is_kept_as_a_name():
    assert normalised(surname="Lord")["surname"] == "lord"


def test_nicknames_map_to_their_formal_names():
    assert normalised(first_name="Bob")["first_name_groups"] == ["bob", "robert"]
    assert normalised(first_name="alex")["first_name_groups"] == [
        "alex",
        "alexander",
        "alexandra",
    ]
    assert normalised(first_name="Zebedee")["first_name_groups"] == ["zebedee"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1980-02-29", "1980-02-29"),
        ("1980-02-30", None),
        ("02/03/1980", None),
        ("", None),
        ("1850-01-01", None),
        ("1980-02-01T00:00:00", "1980-02-01"),
    ],
)
def test_dates_of_birth_that_are_not_dates_become_empty(written, expected):
    assert normalised(date_of_birth=written)["date_of_birth"] == expected


def test_address_words_are_rewritten_to_one_spelling():
    long = normalised(address_line_1="Flat 2", address_line_2="18 High Street")
    short = normalised(address_line_1="18 high st.", address_line_2="apartment 02")
    assert long["address_key"] == "flat 2 18 high st"
    assert long["address_numbers"] == "2 18"
    assert sorted(short["address_number_tokens"]) == sorted(
        long["address_number_tokens"]
    )
    assert long["address_word_tokens"] == ["high", "st"]
    assert sorted(short["address_word_tokens"]) == ["high", "st"]


def test_given_names_in_any_order_give_one_key():
    swapped = normalised(first_name="Jeremy", middle_names="Joshua")
    assert swapped["given_names_sorted"] == "jeremy joshua"
    assert normalised(first_name="Joshua Jeremy")["given_names_sorted"] == (
        "jeremy joshua"
    )


def test_a_single_given_name_has_no_order_to_compare():
    assert normalised(first_name="Joshua")["given_names_sorted"] is None


def test_swapped_names_give_one_name_pair():
    swapped = normalised(first_name="Wells", surname="Ihaia")
    assert (
        swapped["name_pair"]
        == normalised(first_name="Ihaia", surname="Wells")["name_pair"]
    )
    assert swapped["name_set"] == swapped["name_pair"] == "ihaia wells"
    assert normalised(surname="Wells")["name_pair"] is None


def test_towns_are_compared_as_words():
    assert normalised(town="  NORTH-Ryde ")["town"] == "north ryde"
