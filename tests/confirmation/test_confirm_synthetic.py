"""`ier seed-confirmation`: deterministic synthetic files with their truth."""

import csv

from conftest import read_rows
from ier.confirmation import cli, reference_data, synthetic
from ier.confirmation.synthetic import recording


def test_the_same_seed_gives_the_same_files(tmp_path):
    for name in ("a", "b"):
        assert (
            cli.seed_main(
                ["--size", "300", "--out", str(tmp_path / name), "--seed", "5"]
            )
            == 0
        )
    for file in ("register.csv", "reference.csv", "truth.csv"):
        assert (tmp_path / "a" / file).read_bytes() == (
            tmp_path / "b" / file
        ).read_bytes()


def test_another_seed_gives_other_people(tmp_path):
    synthetic.generate(300, tmp_path / "a", seed=5)
    synthetic.generate(300, tmp_path / "b", seed=6)
    assert (tmp_path / "a" / "register.csv").read_bytes() != (
        tmp_path / "b" / "register.csv"
    ).read_bytes()


def test_files_follow_the_contract_and_the_truth_points_into_them(generated):
    register = read_rows(generated / "register.csv")
    reference = read_rows(generated / "reference.csv")
    truth = read_rows(generated / "truth.csv")
    with (generated / "register.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == synthetic.REGISTER_COLUMNS
    assert len(register) == 2500
    assert [row["elector_id"] for row in truth] != []
    assert {row["elector_id"] for row in truth} == {
        row["elector_id"] for row in register
    }
    people = {row["person_id"] for row in reference}
    matched = [row["person_id"] for row in truth if row["person_id"]]
    assert set(matched) <= people
    assert len(matched) == len(set(matched))
    # Some electors are missing from the reference, and some people from the register.
    assert 0 < len(register) - len(matched) < 0.2 * len(register)
    assert len(people) > len(matched)


def test_records_carry_realistic_differences(generated):
    truth = read_rows(generated / "truth.csv")
    seen = {tag for row in truth for tag in row["differences"].split("|") if tag}
    assert {
        "nickname",
        "moved",
        "middle_names_missing",
        "surname_changed",
        "first_name_typo",
        "date_of_birth_typo",
    } <= seen
    register = read_rows(generated / "register.csv")
    postcodes = [row["postcode"] for row in register]
    assert any(p and p != p.upper() for p in postcodes)
    assert any(p and " " not in p.strip() for p in postcodes)


def test_without_dates_of_birth_the_column_is_empty(generated_without_dates):
    for file in ("register.csv", "reference.csv"):
        rows = read_rows(generated_without_dates / file)
        assert rows and all(row["date_of_birth"] == "" for row in rows)


def test_nicknames_come_from_the_data_file():
    import random

    from ier.confirmation.synthetic.population import Person

    person = Person(1, "en_GB", "male", "William", [], "Smith", None, 0)
    first, _, _ = recording.recorded_names(
        random.Random(1), person, {"nickname": "register"}, "register", None
    )
    assert first.lower() in reference_data.informal_names()["william"]


def test_a_typo_changes_one_letter_at_most():
    import random

    rng = random.Random(3)
    for _ in range(200):
        slipped = recording.typo(rng, "Margaret")
        assert slipped != "" and abs(len(slipped) - len("Margaret")) <= 1


def test_a_set_without_dates_of_birth_can_be_made_from_one_with_them(tmp_path):
    # The same seed draws the same people and the same errors with or without
    # dates of birth; only the column is left empty. A benchmark that needs both
    # sets makes the second from the first instead of drawing everyone again.
    synthetic.generate(300, tmp_path / "drawn", seed=5, with_dates_of_birth=False)
    synthetic.generate(300, tmp_path / "with", seed=5)
    synthetic.drop_dates_of_birth(tmp_path / "with", tmp_path / "made")
    for file in ("register.csv", "reference.csv", "truth.csv"):
        assert (tmp_path / "made" / file).read_bytes() == (
            tmp_path / "drawn" / file
        ).read_bytes()
    assert (tmp_path / "with" / "register.csv").read_bytes() != (
        tmp_path / "made" / "register.csv"
    ).read_bytes()
