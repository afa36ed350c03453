import csv
from pathlib import Path

import pytest

from ier.confirmation import synthetic
from ier.confirmation.pipeline import ConfirmRequest, confirm
from ier.confirmation.synthetic import febrl, keying

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


@pytest.fixture(scope="session")
def febrl4(tmp_path_factory) -> Path:
    """FEBRL 4 in the CSV contract, with dates of birth (held out: see
    docs/confirmation.md)."""
    folder = tmp_path_factory.mktemp("febrl4")
    febrl.generate(folder)
    return folder


@pytest.fixture(scope="session")
def febrl4_without_dates(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("febrl4_without_dates")
    febrl.generate(folder, with_dates_of_birth=False)
    return folder


@pytest.fixture(scope="session")
def keyed(tmp_path_factory) -> Path:
    """The keying error model: typing, OCR and phonetic slips, swapped and
    missing fields, non-British addresses."""
    folder = tmp_path_factory.mktemp("keyed")
    keying.generate(SIZE, folder, seed=13)
    return folder


@pytest.fixture(scope="session")
def keyed_without_dates(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("keyed_without_dates")
    keying.generate(SIZE, folder, seed=13, with_dates_of_birth=False)
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


def evaluate(folder: Path, out: Path):
    """Run on `folder` with its truth file; return (summary, green precision,
    green recall) with precision and recall counted here from the files."""
    summary = run_confirm(folder, out, truth=folder / "truth.csv")
    precision, recall = green_precision_and_recall(
        read_rows(out), read_rows(folder / "truth.csv")
    )
    return summary, precision, recall


def green_precision_and_recall(results, truth) -> tuple[float, float]:
    truth_by_elector = {row["elector_id"]: row["person_id"] for row in truth}
    greens = [row for row in results if row["rag"] == "green"]
    right = sum(
        1 for row in greens if truth_by_elector[row["elector_id"]] == row["person_id"]
    )
    matchable = sum(1 for person in truth_by_elector.values() if person)
    return right / len(greens), right / matchable


def with_extra_rows(source: Path, folder: Path, register: list, reference: list):
    """Copy a generated set into `folder` with extra rows at the end of each file."""
    folder.mkdir()
    for name, rows in (("register.csv", register), ("reference.csv", reference)):
        text = (source / name).read_text(encoding="utf-8")
        (folder / name).write_text(text + "".join(r + "\n" for r in rows), "utf-8")
    return folder
