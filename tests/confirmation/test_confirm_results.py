"""End to end: `ier confirm` on small generated sets, checked against the truth."""

from collections import Counter

import pytest

from conftest import evaluate, green_precision_and_recall, read_rows, run_confirm
from ier import cli


@pytest.fixture(scope="module")
def confirmed(generated, tmp_path_factory):
    out = tmp_path_factory.mktemp("confirmed") / "results.csv"
    report = out.with_name("report.html")
    summary = run_confirm(generated, out, report=report, truth=generated / "truth.csv")
    return summary, read_rows(out), out, report


def test_every_elector_gets_exactly_one_row_in_register_order(generated, confirmed):
    _, results, out, _ = confirmed
    register = read_rows(generated / "register.csv")
    assert [row["elector_id"] for row in results] == [
        row["elector_id"] for row in register
    ]
    assert out.read_text(encoding="utf-8").splitlines()[0] == (
        "elector_id,person_id,match_probability,rag"
    )


def test_ratings_follow_the_contract(confirmed):
    _, results, out, _ = confirmed
    assert {row["rag"] for row in results} <= {"green", "amber", "red"}
    assert '""' not in out.read_text(encoding="utf-8")
    for row in results:
        assert (row["person_id"] == "") == (row["rag"] == "red")
        assert 0 <= float(row["match_probability"]) <= 1


def test_no_person_is_green_for_two_electors(confirmed):
    _, results, _, _ = confirmed
    greens = Counter(row["person_id"] for row in results if row["rag"] == "green")
    assert greens and max(greens.values()) == 1


def test_greens_are_right_and_most_matches_are_green(generated, confirmed):
    _, results, _, _ = confirmed
    precision, recall = green_precision_and_recall(
        results, read_rows(generated / "truth.csv")
    )
    assert precision >= 0.995
    assert recall >= 0.95


def test_almost_every_true_pair_reaches_scoring(confirmed):
    summary, _, _, _ = confirmed
    evaluation = summary.evaluated
    assert evaluation.blocking_recall >= 0.995
    assert [rule.name for rule in evaluation.rules] == [
        rule.name for rule in summary.candidates
    ]
    assert all(rule.candidate_pairs > 0 for rule in evaluation.rules)
    reached = [rule.true_pairs_reached_so_far for rule in evaluation.rules]
    assert reached == sorted(reached)
    assert reached[-1] == evaluation.true_pairs_reached


def test_electors_missing_from_the_reference_are_not_green(generated, confirmed):
    _, results, _, _ = confirmed
    missing = {
        r["elector_id"]
        for r in read_rows(generated / "truth.csv")
        if not r["person_id"]
    }
    ratings = Counter(row["rag"] for row in results if row["elector_id"] in missing)
    assert missing
    assert ratings["green"] <= 0.01 * len(missing)


def test_summary_counts_match_the_file(confirmed):
    summary, results, _, _ = confirmed
    assert summary.electors == len(results)
    assert summary.counts == dict(Counter(row["rag"] for row in results)) | {
        rag: 0
        for rag in ("green", "amber", "red")
        if rag not in {row["rag"] for row in results}
    }


def test_the_report_shows_evidence_but_no_personal_details(generated, confirmed):
    summary, _, _, report = confirmed
    page = report.read_text(encoding="utf-8")
    assert "<h1>Bulk confirmation report</h1>" in page
    assert f"{summary.counts['green']:,}" in page
    for comparison in ("first_name", "surname", "middle_names", "location"):
        assert f"<h3>{comparison}</h3>" in page
    assert "<h2>Blocking</h2>" in page
    assert f"blocking recall {summary.evaluated.blocking_recall:.4f}" in page
    for rule in summary.candidates:
        assert f"<td>{rule.name}</td><td>{rule.candidate_pairs:,}</td>" in page
    register = read_rows(generated / "register.csv")
    for row in register[:200]:
        assert row["address_line_1"] not in page
        if len(row["surname"]) > 3:
            assert f">{row['surname']}<" not in page
        if row["date_of_birth"]:
            assert row["date_of_birth"] not in page


def test_without_dates_of_birth_greens_stay_right(generated_without_dates, tmp_path):
    summary, precision, recall = evaluate(generated_without_dates, tmp_path / "r.csv")
    assert precision >= 0.995
    assert recall >= 0.9
    assert summary.evaluated.blocking_recall >= 0.995


def ier_confirm(folder, out, *extra) -> int:
    return cli.main(
        [
            "confirm",
            "--register",
            str(folder / "register.csv"),
            "--reference",
            str(folder / "reference.csv"),
            "--out",
            str(out),
            "--no-progress",
            *extra,
        ]
    )


def test_the_ier_command_prints_a_summary_and_evaluates(generated, tmp_path, capsys):
    out = tmp_path / "results.csv"
    code = ier_confirm(generated, out, "--evaluate", str(generated / "truth.csv"))
    assert code == 0
    assert out.exists()
    assert not (tmp_path / "results.csv.work").exists()
    printed = capsys.readouterr().out
    assert "Confirmed 2,500 electors" in printed
    assert "green" in printed and "amber" in printed and "red" in printed
    assert "candidate pairs: at most" in printed
    assert "green precision" in printed and "blocking recall" in printed
    for rule in ("postcode_initial", "names", "born_surname"):
        assert f"  {rule} " in printed


def test_evaluate_refuses_a_truth_file_without_its_columns(generated, tmp_path, capsys):
    truth = tmp_path / "truth.csv"
    truth.write_text("elector_id,person\nE1,P1\n", encoding="utf-8")
    out = tmp_path / "results.csv"
    assert ier_confirm(generated, out, "--evaluate", str(truth)) == 2
    assert "truth file" in capsys.readouterr().err
    assert not out.exists()
