"""Partitions: each is scored against the people it may match, not everyone."""

import duckdb

from conftest import read_rows, run_confirm
from ier.confirmation import engines

# Postcode areas are kept whole, so this gives one partition per area.
SMALL_PARTITIONS = 100


def decisions(path):
    return [
        (row["elector_id"], row["person_id"], row["rag"]) for row in read_rows(path)
    ]


def test_a_partition_reads_only_the_people_among_its_candidates(
    generated, tmp_path, monkeypatch
):
    seen = []
    inputs = engines.DuckDBEngine.inputs

    def counting_inputs(self, register, reference, partition=None, *args):
        db_api, frames = inputs(self, register, reference, partition, *args)
        if partition is not None:
            candidates = args[1]
            (people,) = self.con.execute(
                f"SELECT count(*) FROM {frames[1].physical_name}"
            ).fetchall()[0]
            (among,) = self.con.execute(
                "SELECT count(DISTINCT join_key_r) FROM read_parquet(?)",
                [str(candidates)],
            ).fetchall()[0]
            seen.append((people, among))
        return db_api, frames

    monkeypatch.setattr(engines.DuckDBEngine, "inputs", counting_inputs)
    summary = run_confirm(
        generated, tmp_path / "results.csv", partition_size=SMALL_PARTITIONS
    )
    (everyone,) = duckdb.sql(
        f"SELECT count(*) FROM read_csv('{generated / 'reference.csv'}')"
    ).fetchall()[0]
    assert len(seen) == summary.partitions >= 3
    assert all(people == among for people, among in seen)
    assert all(people < everyone for people, _ in seen)


def test_partitions_give_the_decisions_of_one_run(generated, tmp_path):
    run_confirm(generated, tmp_path / "one.csv")
    run_confirm(generated, tmp_path / "parts.csv", partition_size=SMALL_PARTITIONS)
    assert decisions(tmp_path / "parts.csv") == decisions(tmp_path / "one.csv")
