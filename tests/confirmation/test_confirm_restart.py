"""A run stopped part-way carries on where it stopped, with the same results."""

import pytest

from conftest import read_rows, run_confirm
from ier.confirmation import engines, exact, pipeline

# Postcode areas are kept whole, so this gives one partition per area.
SMALL_PARTITIONS = 100


def decisions(path):
    return [
        (row["elector_id"], row["person_id"], row["rag"]) for row in read_rows(path)
    ]


@pytest.fixture(scope="module")
def uninterrupted(generated, tmp_path_factory):
    out = tmp_path_factory.mktemp("uninterrupted") / "results.csv"
    summary = run_confirm(generated, out, partition_size=SMALL_PARTITIONS)
    assert summary.partitions >= 3
    return summary, decisions(out)


class Stop(Exception):
    """Stands in for a kill between two partitions."""


def test_a_stopped_run_resumes_from_the_first_unscored_partition(
    generated, tmp_path, monkeypatch, uninterrupted
):
    expected_summary, expected = uninterrupted
    out = tmp_path / "results.csv"
    written = []
    write_pairs = engines.DuckDBEngine.write_pairs

    def write_then_stop(self, predictions, path, *args):
        write_pairs(self, predictions, path, *args)
        written.append(path)
        if len(written) == 1:
            raise Stop

    monkeypatch.setattr(engines.DuckDBEngine, "write_pairs", write_then_stop)
    with pytest.raises(Stop):
        run_confirm(generated, out, partition_size=SMALL_PARTITIONS)
    assert not out.exists()
    pairs = tmp_path / "results.csv.work" / "pairs"
    assert [p.name for p in pairs.iterdir()] == [written[0].name]
    # A kill during a write leaves only a temporary file, which is never read.
    (pairs / "part-9999.parquet.partial").write_bytes(b"half a file")

    summary = run_confirm(generated, out, partition_size=SMALL_PARTITIONS)

    assert summary.partitions_resumed == 1
    assert len(written) == expected_summary.partitions
    assert decisions(out) == expected
    assert not (tmp_path / "results.csv.work").exists()


def test_a_run_stopped_while_blocking_keeps_the_rules_already_joined(
    generated, tmp_path, monkeypatch, uninterrupted
):
    expected_summary, expected = uninterrupted
    out = tmp_path / "results.csv"
    work = tmp_path / "results.csv.work"
    counted = []
    blocked_count = pipeline._blocked_count

    def count_then_stop(con, folder):
        counted.append(folder.name)
        if len(counted) == 2:
            raise Stop
        return blocked_count(con, folder)

    monkeypatch.setattr(pipeline, "_blocked_count", count_then_stop)
    with pytest.raises(Stop):
        run_confirm(generated, out, partition_size=SMALL_PARTITIONS)
    assert not out.exists()
    blocked = work / "blocked"
    assert sorted(p.name for p in blocked.iterdir()) == ["rule-00", "rule-01"]
    first_rule = {p: p.stat().st_mtime_ns for p in (blocked / "rule-00").rglob("*")}
    assert first_rule
    # A kill during a rule's join leaves only its temporary folder.
    (blocked / "rule-02.partial").mkdir()
    (blocked / "rule-02.partial" / "half.parquet").write_bytes(b"half a file")
    assert not any((work / "pairs").iterdir())
    monkeypatch.setattr(pipeline, "_blocked_count", blocked_count)

    summary = run_confirm(
        generated, out, partition_size=SMALL_PARTITIONS, keep_work_dir=True
    )

    # The rules joined before the stop were not joined again.
    assert {p: p.stat().st_mtime_ns for p in (blocked / "rule-00").rglob("*")} == (
        first_rule
    )
    assert not (blocked / "rule-02.partial").exists()
    assert decisions(out) == expected
    assert summary.candidates == expected_summary.candidates
    assert summary.counts == expected_summary.counts


def test_a_run_stopped_after_the_exact_pass_keeps_its_pairs(
    generated, tmp_path, monkeypatch, uninterrupted
):
    expected_summary, expected = uninterrupted
    out = tmp_path / "results.csv"
    work = tmp_path / "results.csv.work"
    block = pipeline.block

    def stop(con, work):
        raise Stop

    monkeypatch.setattr(pipeline, "block", stop)
    with pytest.raises(Stop):
        run_confirm(generated, out, partition_size=SMALL_PARTITIONS)
    exact = work / "exact.parquet"
    assert exact.exists()
    assert not list(work.glob(".exact.parquet.partial"))
    written = exact.stat().st_mtime_ns
    monkeypatch.setattr(pipeline, "block", block)

    summary = run_confirm(
        generated, out, partition_size=SMALL_PARTITIONS, keep_work_dir=True
    )

    assert exact.stat().st_mtime_ns == written
    assert summary.matched_exactly == expected_summary.matched_exactly > 0
    assert decisions(out) == expected


def test_a_run_killed_while_matching_exactly_starts_the_pass_again(
    generated, tmp_path, monkeypatch, uninterrupted
):
    _, expected = uninterrupted
    out = tmp_path / "results.csv"
    work = tmp_path / "results.csv.work"
    pairs_sql = exact.pairs_sql

    def stop_while_writing(*args):
        raise Stop

    monkeypatch.setattr(exact, "pairs_sql", stop_while_writing)
    with pytest.raises(Stop):
        run_confirm(generated, out, partition_size=SMALL_PARTITIONS)
    assert not (work / "exact.parquet").exists()
    # A kill during the write leaves only its temporary file, never read.
    (work / ".exact.parquet.partial").write_bytes(b"half a file")
    monkeypatch.setattr(exact, "pairs_sql", pairs_sql)

    run_confirm(generated, out, partition_size=SMALL_PARTITIONS)

    assert decisions(out) == expected


def test_work_for_other_inputs_is_not_reused(generated, tmp_path, uninterrupted):
    out = tmp_path / "results.csv"
    work = tmp_path / "work"
    run_confirm(
        generated,
        out,
        partition_size=SMALL_PARTITIONS,
        work_dir=work,
        keep_work_dir=True,
    )
    assert (work / "model.json").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "register.csv").write_bytes((generated / "register.csv").read_bytes())
    (other / "reference.csv").write_bytes((generated / "reference.csv").read_bytes())

    summary = run_confirm(other, out, partition_size=SMALL_PARTITIONS, work_dir=work)

    assert summary.partitions_resumed == 0
    assert decisions(out) == uninterrupted[1]
