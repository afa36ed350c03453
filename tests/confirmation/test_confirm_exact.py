"""The exact-match pass: electors who agree exactly with one person skip blocking,
and no decision changes for it."""

from pathlib import Path

import duckdb
import pytest

from conftest import read_rows, run_confirm, with_extra_rows
from ier.confirmation import exact

pytestmark = pytest.mark.slow


def address(number: int) -> str:
    return f"{number} Tinners Row,,Penhallow,TR4 9QX"


def row(record_id, first, middle, surname, born, number) -> str:
    return f"{record_id},{first},{middle},{surname},{born},{address(number)}"


# Extra rows added to the generated sets: (register, reference).
REGISTER = [
    # Agrees exactly with one person.
    row("X-exact", "Morwenna", "", "Trevithick", "1970-02-11", 2),
    # Agrees exactly, and near-twins in the reference set have another first
    # name alike, or that and another house number: he must be compared with
    # them all.
    row("X-twin", "Jowan", "", "Pascoe", "1982-05-30", 4),
    # The person is an exact match for X-spoken and a candidate of X-slip,
    # whose own record is missing (a slip in the first name).
    row("X-spoken", "Demelza", "", "Kitto", "1975-09-09", 6),
    row("X-slip", "Demelsa", "", "Kitto", "1975-09-09", 6),
    # A date of birth on the register only.
    row("X-half-born", "Ebrel", "", "Carne", "1988-01-21", 8),
    # Middle names missing on one side; present and different.
    row("X-middle-missing", "Tressa", "Jane", "Nance", "1991-04-17", 10),
    row("X-middle-differ", "Lowena", "Mary", "Hocking", "1966-12-03", 12),
]
REFERENCE = [
    row("Y-exact", "MORWENNA", "", "TREVITHICK", "1970-02-11", 2),
    row("Y-twin", "Jowan", "", "Pascoe", "1982-05-30", 4),
    row("Y-twin-alike", "Jowann", "", "Pascoe", "1982-05-30", 4),
    row("Y-twin-further", "Jowann", "", "Pascoe", "1982-05-30", 5),
    row("Y-spoken", "Demelza", "", "Kitto", "1975-09-09", 6),
    row("Y-half-born", "Ebrel", "", "Carne", "", 8),
    row("Y-middle-missing", "Tressa", "", "Nance", "1991-04-17", 10),
    row("Y-middle-differ", "Lowena", "Ann", "Hocking", "1966-12-03", 12),
]


def without_exact_pass(register: Path, reference: Path, with_dates: bool) -> str:
    return (
        "SELECT NULL::INTEGER AS partition_id, NULL::BIGINT AS register_row, "
        "NULL::BIGINT AS reference_row, NULL::BOOLEAN AS exact WHERE false"
    )


def decisions(out: Path) -> dict[str, tuple[str, str]]:
    return {r["elector_id"]: (r["person_id"], r["rag"]) for r in read_rows(out)}


def runs(source: Path, folder: Path, with_dates: bool):
    """Run on the set with the extra rows, with and without the exact pass;
    return (decisions with, decisions without, the work directory with)."""
    register, reference = REGISTER, REFERENCE
    if not with_dates:
        register = [strip_date(r) for r in register]
        reference = [strip_date(r) for r in reference]
    data = with_extra_rows(source, folder / "set", register, reference)
    run_confirm(data, folder / "with.csv", keep_work_dir=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exact, "pairs_sql", without_exact_pass)
        run_confirm(data, folder / "without.csv")
    return (
        decisions(folder / "with.csv"),
        decisions(folder / "without.csv"),
        folder / "with.csv.work",
    )


def strip_date(line: str) -> str:
    fields = line.split(",")
    fields[4] = ""
    return ",".join(fields)


@pytest.fixture(scope="module")
def with_dates(generated, tmp_path_factory):
    return runs(generated, tmp_path_factory.mktemp("exact_dob"), True)


@pytest.fixture(scope="module")
def without_dates(generated_without_dates, tmp_path_factory):
    return runs(generated_without_dates, tmp_path_factory.mktemp("exact_nodob"), False)


def exact_pairs(work: Path) -> dict[str, set[str]]:
    """Each exact elector's pairs by id: {elector: {person, ...}}, a near-twin's
    id ending in "~"."""
    rows = duckdb.execute(
        f"""
        SELECT l.unique_id, r.unique_id, e.exact
        FROM read_parquet('{work / "exact.parquet"}') AS e
        JOIN read_parquet('{work / "register.parquet"}') AS l
            ON l.row_number = e.register_row
        JOIN read_parquet('{work / "reference.parquet"}') AS r
            ON r.row_number = e.reference_row
        """
    ).fetchall()
    pairs: dict[str, set[str]] = {}
    for elector, person, is_exact in rows:
        pairs.setdefault(elector, set()).add(person + ("" if is_exact else "~"))
    return pairs


def scored_pairs(work: Path) -> set[tuple[str, str]]:
    rows = duckdb.execute(
        f"SELECT elector_id, person_id FROM read_parquet('{work / 'pairs'}/*.parquet')"
    ).fetchall()
    return set(rows)


@pytest.mark.parametrize("run", ["with_dates", "without_dates"])
def test_the_exact_pass_changes_no_decision(run, request):
    found, before, _ = request.getfixturevalue(run)
    assert found == before


@pytest.mark.parametrize("run", ["with_dates", "without_dates"])
def test_most_electors_are_matched_exactly(run, request):
    found, _, work = request.getfixturevalue(run)
    pairs = exact_pairs(work)
    assert len(pairs) >= 0.3 * len(found)
    assert pairs["X-exact"] == {"Y-exact"}
    assert found["X-exact"] == ("Y-exact", "green")


@pytest.mark.parametrize("run", ["with_dates", "without_dates"])
def test_a_near_twin_is_compared_with_the_exact_elector(run, request):
    _, _, work = request.getfixturevalue(run)
    assert exact_pairs(work)["X-twin"] == {
        "Y-twin",
        "Y-twin-alike~",
        "Y-twin-further~",
    }
    assert ("X-twin", "Y-twin-alike") in scored_pairs(work)


@pytest.mark.parametrize("run", ["with_dates", "without_dates"])
def test_a_person_matched_exactly_is_still_a_candidate_of_others(run, request):
    found, _, work = request.getfixturevalue(run)
    assert exact_pairs(work)["X-spoken"] == {"Y-spoken"}
    assert "X-slip" not in exact_pairs(work)
    assert ("X-slip", "Y-spoken") in scored_pairs(work)
    assert found["X-spoken"] == ("Y-spoken", "green")
    assert found["X-slip"] == ("Y-spoken", "amber")


def test_a_date_of_birth_on_one_side_only_is_not_an_exact_match(with_dates):
    _, _, work = with_dates
    assert "X-half-born" not in exact_pairs(work)


def test_without_dates_of_birth_the_same_pair_is_exact(without_dates):
    _, _, work = without_dates
    assert exact_pairs(work)["X-half-born"] == {"Y-half-born"}


@pytest.mark.parametrize("run", ["with_dates", "without_dates"])
def test_middle_names_missing_on_one_side_only_are_no_exact_match(run, request):
    _, _, work = request.getfixturevalue(run)
    pairs = exact_pairs(work)
    assert "X-middle-missing" not in pairs
    assert "X-middle-differ" not in pairs


def test_one_name_twice_at_one_address_is_never_an_exact_match(
    generated_without_dates, tmp_path
):
    folder = with_extra_rows(
        generated_without_dates,
        tmp_path / "set",
        [row("X-father", "Piran", "", "Jago", "", 14)],
        [
            row("Y-father", "Piran", "", "Jago", "", 14),
            row("Y-son", "Piran", "", "Jago", "", 14),
        ],
    )
    run_confirm(folder, tmp_path / "results.csv", keep_work_dir=True)
    assert "X-father" not in exact_pairs(tmp_path / "results.csv.work")
    assert decisions(tmp_path / "results.csv")["X-father"][1] == "amber"
