"""Records with two keying errors at once, added to a generated set without
dates of birth: each is the one record of its name, so its match is green
once the model sees the errors for what they are."""

import pytest

from conftest import read_rows, run_confirm, with_extra_rows

pytestmark = pytest.mark.slow

REGISTER = [
    # First name and surname swapped, and a slip in the first letters of one.
    "X-swapped,Wetherall,,Tboias,,12 Quarry Lane,,Oakhampton,EX20 1QZ",
    # A postcode digit and the house number slipped, the street mistyped, the
    # town left out (an overseas postcode: no district to fall back on).
    "X-slipped,John,,Doyle,,41 Quary Lane,,,4352",
    # Two postcode digits transposed, the street left out.
    "X-no-street,Imogen,,Pellow,,45,,Tregony,5953",
]
REFERENCE = [
    "Y-swapped,Tobias,,Wetherall,,12 Quarry Lane,,Oakhampton,EX20 1QZ",
    "Y-slipped,John,,Doyle,,14 Quarry Lane,,Lisburn Vale,4325",
    "Y-no-street,Imogen,,Pellow,,45 Butler Gardens,,Tregony,5935",
]


@pytest.fixture(scope="module")
def ratings(generated_without_dates, tmp_path_factory):
    folder = with_extra_rows(
        generated_without_dates,
        tmp_path_factory.mktemp("keying") / "set",
        REGISTER,
        REFERENCE,
    )
    run_confirm(folder, folder / "results.csv")
    return {
        row["elector_id"]: (row["person_id"], row["rag"])
        for row in read_rows(folder / "results.csv")
        if row["elector_id"].startswith("X-")
    }


def test_names_swapped_and_mistyped_are_confirmed(ratings):
    assert ratings["X-swapped"] == ("Y-swapped", "green")


def test_postcode_and_house_number_slipped_with_a_mistyped_street_are_confirmed(
    ratings,
):
    assert ratings["X-slipped"] == ("Y-slipped", "green")


def test_a_postcode_slip_with_the_street_missing_on_one_side_is_confirmed(ratings):
    assert ratings["X-no-street"] == ("Y-no-street", "green")
