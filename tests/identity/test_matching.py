import datetime

import pytest

from ier.identity.matching import (
    Claim,
    Name,
    Record,
    check,
    date_of_birth_level,
    first_name_level,
    last_name_level,
    middle_names_level,
)
from ier.identity.names import are_variants, name_key

BORN = datetime.date(1985, 2, 14)
RECORD = Record("AB123456", BORN, "William", "James Peter", "O'Brien-Jones")


def claim(**typed):
    values = {
        "nino": "AB 12 34 56 C",
        "date_of_birth": BORN,
        "first_name": "William",
        "middle_names": "James Peter",
        "last_name": "O'Brien-Jones",
    }
    values.update(typed)
    return Claim(**values)


def test_an_unknown_nino_stops_the_checks():
    assert check(claim(), None) == {
        "nino": "not_found",
        "date_of_birth": "not_checked",
        "name": None,
    }


def test_a_different_date_of_birth_stops_the_checks_before_the_names():
    answer = check(claim(date_of_birth=datetime.date(1985, 2, 15)), RECORD)
    assert answer == {"nino": "found", "date_of_birth": "mismatch", "name": None}


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        (datetime.date(1985, 2, 14), "match"),
        (None, "not_given"),
        (datetime.date(1986, 2, 14), "mismatch"),
    ],
)
def test_date_of_birth_levels(typed, level):
    assert date_of_birth_level(typed, BORN) == level


def test_day_and_month_swapped_is_told_apart_from_any_other_mismatch():
    held = datetime.date(1990, 3, 7)
    assert date_of_birth_level(datetime.date(1990, 7, 3), held) == "day_month_swapped"
    assert date_of_birth_level(datetime.date(1990, 7, 4), held) == "mismatch"


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("William", "exact"),
        ("WILLIAM", "exact"),
        ("Bill", "variant"),
        ("Gwilym", "variant"),
        ("W", "initial"),
        ("W.", "initial"),
        ("James", "middle_name"),
        ("Willaim", "fuzzy"),
        ("Robert", "none"),
    ],
)
def test_first_name_rules_in_order(typed, level):
    assert first_name_level(typed, Name("William", "James Peter", ""))[0] == level


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("O'Brien-Jones", "exact"),
        ("obrien jones", "exact"),
        ("O Brien Jones", "exact"),
        ("Jones", "part"),
        ("O'Brien-Jnoes", "fuzzy"),
        ("Smith", "none"),
    ],
)
def test_last_name_rules(typed, level):
    assert last_name_level(typed, "O'Brien-Jones")[0] == level


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("James Peter", "match"),
        ("", "missing"),
        ("J P", "initials"),
        ("James", "missing"),
        ("James Peter Paul", "extra"),
        ("Thomas", "differ"),
    ],
)
def test_middle_names_are_compared_but_only_reported(typed, level):
    assert middle_names_level(typed, "James Peter") == level


def test_a_previous_name_given_by_the_applicant_is_tried_against_the_record():
    answer = check(claim(last_name="Evans", previous_last_name="O'Brien-Jones"), RECORD)
    assert answer["name"]["last_name"] == "exact"
    assert answer["name"]["matched_on"] == "applicant_previous_name"


def test_a_previous_name_on_the_record_is_tried_against_the_applicant():
    record = Record(
        "AB123456", BORN, "Mair", "", "Evans", previous_last_name="Pritchard"
    )
    answer = check(
        claim(first_name="Mair", middle_names="", last_name="Pritchard"), record
    )
    assert (answer["name"]["last_name"], answer["name"]["matched_on"]) == (
        "exact",
        "record_previous_name",
    )


def test_the_current_name_wins_a_tie():
    answer = check(claim(previous_last_name="O'Brien-Jones"), RECORD)
    assert answer["name"]["matched_on"] == "current_name"


def test_names_fold_accents_punctuation_and_spacing():
    assert name_key("Siân O'Brien-Jones") == name_key("SIAN  obrien jones")


def test_a_name_matches_with_or_without_its_zero_width_non_joiner():
    """Records and keyboards differ on the joiner in a Persian name; it changes how
    the letters join, not the name."""
    assert last_name_level("مهر\u200cانگیز", "مهرانگیز")[0] == "exact"
    assert name_key("علی\u200cرضا") == name_key("علیرضا")


def test_variants_come_from_the_data_file_and_are_not_transitive_across_groups():
    assert are_variants("Stephen", "Steve")
    assert are_variants("Dafydd", "David")
    assert are_variants("pat", "Patricia") and are_variants("pat", "Patrick")
    assert not are_variants("Patricia", "Patrick")
    assert not are_variants("William", "William")
