"""`--engine spark`: the same trained model, scored by Splink's Spark backend in
Spark local mode, gives the same decisions as DuckDB."""

import shutil

import pytest

from conftest import green_precision_and_recall, read_rows, run_confirm
from ier.confirmation import synthetic

pytestmark = pytest.mark.slow


def test_spark_and_duckdb_give_the_same_results(tmp_path):
    if shutil.which("java") is None:
        pytest.fail("Spark needs Java: run `make java` (make test does)")
    synthetic.generate(800, tmp_path, seed=21)
    duckdb_out, spark_out = tmp_path / "duckdb.csv", tmp_path / "spark.csv"
    run_confirm(tmp_path, duckdb_out)

    summary = run_confirm(tmp_path, spark_out, engine="spark")

    spark_rows, duckdb_rows = read_rows(spark_out), read_rows(duckdb_out)
    assert summary.electors == len(spark_rows) == 800
    assert [(r["elector_id"], r["person_id"], r["rag"]) for r in spark_rows] == [
        (r["elector_id"], r["person_id"], r["rag"]) for r in duckdb_rows
    ]
    for spark_row, duckdb_row in zip(spark_rows, duckdb_rows, strict=True):
        assert float(spark_row["match_probability"]) == pytest.approx(
            float(duckdb_row["match_probability"]), abs=1e-5
        )
    precision, _ = green_precision_and_recall(
        spark_rows, read_rows(tmp_path / "truth.csv")
    )
    assert precision >= 0.99
