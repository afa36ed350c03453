"""Relatives at one address: nothing but a date of birth or a given name tells
them apart, and without it none of them is green."""

from pathlib import Path

import pytest

from conftest import read_rows, run_confirm, with_extra_rows

pytestmark = pytest.mark.slow


def address(number: int) -> str:
    return f"{number} Quarry Lane,,Oakhampton,EX20 1QZ"


# Register and reference rows added to a generated set without dates of birth.
# Father and son of one name, both on each side; father and son on the
# register but only the father in the reference set; a daughter on the
# register whose mother only is in the reference set, and a relative with no
# given name.
REGISTER = [
    f"X-father,Tobias,,Wetherall,,{address(12)}",
    f"X-son,Tobias,,Wetherall,,{address(12)}",
    f"X-father-2,Cuthbert,,Pennefather,,{address(14)}",
    f"X-son-2,Cuthbert,,Pennefather,,{address(14)}",
    f"X-daughter,Imogen,,Quarrington,,{address(16)}",
    f"X-nameless,,,Quarrington,,{address(16)}",
]
REFERENCE = [
    f"Y-father,TOBIAS,,WETHERALL,,{address(12)}",
    f"Y-son,Tobias,,Wetherall,,{address(12)}",
    f"Y-father-2,Cuthbert,,Pennefather,,{address(14)}",
    f"Y-mother,Harriet,,Quarrington,,{address(16)}",
]


def results(folder: Path, out: Path) -> dict[str, tuple[str, str]]:
    run_confirm(folder, out)
    return {
        row["elector_id"]: (row["person_id"], row["rag"])
        for row in read_rows(out)
        if row["elector_id"].startswith("X-")
    }


@pytest.fixture(scope="module")
def without_dates(generated_without_dates, tmp_path_factory):
    folder = tmp_path_factory.mktemp("households")
    folder = with_extra_rows(
        generated_without_dates, folder / "set", REGISTER, REFERENCE
    )
    return results(folder, folder / "results.csv")


def test_father_and_son_of_one_name_at_one_address_are_amber(without_dates):
    assert without_dates["X-father"][1] == "amber"
    assert without_dates["X-son"][1] == "amber"


def test_a_son_missing_from_the_reference_does_not_take_his_fathers_record(
    without_dates,
):
    assert without_dates["X-father-2"][1] != "green"
    assert without_dates["X-son-2"][1] != "green"


def test_a_relative_is_not_green_for_an_elector_missing_from_the_reference(
    without_dates,
):
    assert without_dates["X-daughter"][1] != "green"
    assert without_dates["X-nameless"][1] != "green"


def test_with_dates_of_birth_father_and_son_are_both_green(generated, tmp_path):
    folder = with_extra_rows(
        generated,
        tmp_path / "set",
        [
            f"X-father,Tobias,,Wetherall,1961-03-14,{address(12)}",
            f"X-son,Tobias,,Wetherall,1990-07-02,{address(12)}",
        ],
        [
            f"Y-father,Tobias,,Wetherall,1961-03-14,{address(12)}",
            f"Y-son,Tobias,,Wetherall,1990-07-02,{address(12)}",
        ],
    )
    assert results(folder, tmp_path / "results.csv") == {
        "X-father": ("Y-father", "green"),
        "X-son": ("Y-son", "green"),
    }
