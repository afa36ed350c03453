import csv
from pathlib import Path

import pytest

from ier.confirmation import synthetic
from ier.confirmation.pipeline import ConfirmRequest, confirm

SIZE = 2500


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """A small synthetic register, reference set and truth, with dates of birth."""
    folder = tmp_path_factory.mktemp("generated")
    synthetic.generate(SIZE, folder, seed=11)
    return folder


@pytest.fixture(scope="session")
def generated_without_dates(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("generated_without_dates")
    synthetic.generate(SIZE, folder, seed=12, with_dates_of_birth=False)
    return folder


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_confirm(folder: Path, out: Path, **options):
    request = ConfirmRequest(
        register=folder / "register.csv",
        reference=folder / "reference.csv",
        out=out,
        progress=False,
        **options,
    )
    return confirm(request)


def green_precision_and_recall(results, truth) -> tuple[float, float]:
    truth_by_elector = {row["elector_id"]: row["person_id"] for row in truth}
    greens = [row for row in results if row["rag"] == "green"]
    right = sum(
        1 for row in greens if truth_by_elector[row["elector_id"]] == row["person_id"]
    )
    matchable = sum(1 for person in truth_by_elector.values() if person)
    return right / len(greens), right / matchable
