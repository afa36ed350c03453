"""The keying error model's generator (`ier.confirmation.synthetic.keying`):
postcodes keyed wrong beyond a slip."""

import random

from conftest import read_rows
from ier.confirmation.synthetic import keying


def _differing(a: str, b: str) -> list[int]:
    return [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]


def test_a_rekeyed_postcode_has_two_digits_wrong_and_its_letters_kept():
    rng = random.Random(3)
    for postcode in ("2570", "90210", "K2M 6B7", "D02 X285"):
        for _ in range(50):
            rekeyed = keying.postcode_rekeyed(rng, postcode)
            differing = _differing(postcode, rekeyed)
            assert len(differing) == 2
            assert all(rekeyed[i].isdigit() for i in differing)


def test_one_register_record_in_twenty_has_its_postcode_rekeyed(tmp_path):
    keying.generate(2000, tmp_path, seed=4, with_dates_of_birth=False)
    matched = [row for row in read_rows(tmp_path / "truth.csv") if row["person_id"]]
    rekeyed = [
        row for row in matched if "postcode_rekeyed" in row["differences"].split("|")
    ]
    assert 0.03 * len(matched) < len(rekeyed) < 0.07 * len(matched)
    register = {row["elector_id"]: row for row in read_rows(tmp_path / "register.csv")}
    reference = {row["person_id"]: row for row in read_rows(tmp_path / "reference.csv")}
    # Where no slip touched it (the reference record may have its own errors),
    # the postcode is two digits away: not a slip the model would forgive.
    two_away = [
        row
        for row in rekeyed
        if len(
            _differing(
                register[row["elector_id"]]["postcode"],
                reference[row["person_id"]]["postcode"],
            )
        )
        == 2
    ]
    assert len(two_away) >= 0.8 * len(rekeyed)
