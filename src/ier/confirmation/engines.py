"""Where Splink runs: DuckDB on this machine, or Spark where one machine is outgrown.

Both engines read the normalised inputs from Parquet files in the work directory
and write each partition's scored pairs back as Parquet, so everything before and
after the model (loading, checking, normalising, choosing one person per elector,
writing results) is the same code whichever engine scored the pairs.
"""

# SQL here is assembled from our own constants, table names and quoted paths;
# values from the input files never become SQL text.
# ruff: noqa: S608

import logging
import os
import shutil
from pathlib import Path

import duckdb
from splink import DuckDBAPI

# Columns of the scored pairs kept for assignment and the report.
PAIR_ID_COLUMNS = """
    CASE WHEN source_dataset_l = 'register' THEN unique_id_l ELSE unique_id_r END
        AS elector_id,
    CASE WHEN source_dataset_l = 'register' THEN unique_id_r ELSE unique_id_l END
        AS person_id
"""


# How Splink joins a record's dataset and id into one key (its CONCAT_SEPARATOR).
JOIN_KEY_SEPARATOR = "-__-"
# The person's id in a candidate pair's `join_key_r` (see `pipeline.write_candidates`).
CANDIDATE_PERSON_ID = "substr(join_key_r, %d)" % (
    len("reference" + JOIN_KEY_SEPARATOR) + 1
)


def _quoted(path: Path) -> str:
    return "'{}'".format(str(path).replace("'", "''"))


def new_duckdb_connection(
    work_dir: Path, threads: int | None, memory_limit: str
) -> duckdb.DuckDBPyConnection:
    """Return an in-memory DuckDB connection that spills to `work_dir`."""
    spill = work_dir / "spill"
    spill.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    con.execute(f"SET temp_directory = {_quoted(spill)}")
    con.execute(f"SET memory_limit = {_quoted(Path(memory_limit))}")
    con.execute("SET threads = %d" % (threads or os.cpu_count() or 1))
    return con


def _pair_columns(columns: list[str], given_names_differ: float) -> str:
    """Return the columns kept of each scored pair.

    `identifies_person` is true when the given names agree, or the dates of birth
    do, or a given name is missing but each record is the only one of its surname
    at its address (so no relative can be mistaken for it). The given names
    agree at any level of the first-name comparison but its last (`given_names_
    differ` is that level's weight: Splink keeps each comparison's weight, not
    its level, and no other level has exactly that weight) and its null level
    (weight 0). Dates of birth agree at any level of positive weight.
    """
    weights = [c for c in columns if c.startswith("mw_")]
    born = " OR mw_date_of_birth > 0" if "mw_date_of_birth" in columns else ""
    agrees = (
        f"(coalesce(abs(mw_first_name - ({given_names_differ:.17g})) > 1e-9"
        " AND mw_first_name <> 0, false)"
        " OR (mw_first_name = 0 AND alone_at_address_l AND alone_at_address_r)"
        f"{born}) AS identifies_person"
    )
    return ", ".join(
        [PAIR_ID_COLUMNS, "match_weight", "match_probability", agrees, *weights]
    )


class DuckDBEngine:
    """Splink on the in-process DuckDB connection that also does everything else."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self._counter = 0

    def _view(self, prefix: str, sql: str) -> str:
        self._counter += 1
        name = "%s_%d" % (prefix, self._counter)
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")
        return name

    def inputs(
        self,
        register: Path,
        reference: Path,
        partition: int | None = None,
        leave_out: list[str] | None = None,
        candidates: Path | None = None,
    ):
        """Return a Splink database API and the two inputs registered with it,
        without the columns `leave_out`; with `candidates` (a partition's
        candidate pairs), only the people among them."""
        where = "" if partition is None else f" WHERE partition_id = {partition:d}"
        source = f"read_parquet({_quoted(register)})"
        left_out = ", ".join(leave_out or [])
        register_view = self._view(
            "ier_register",
            f"SELECT * EXCLUDE (partition_id{', ' if left_out else ''}{left_out}) "
            f"FROM {source}{where}",
        )
        among = (
            ""
            if candidates is None
            else f" WHERE unique_id IN (SELECT {CANDIDATE_PERSON_ID} "
            f"FROM read_parquet({_quoted(candidates)}))"
        )
        reference_view = self._view(
            "ier_reference",
            f"SELECT * {f'EXCLUDE ({left_out}) ' if left_out else ''}"
            f"FROM read_parquet({_quoted(reference)}){among}",
        )
        db_api = DuckDBAPI(self.con)
        return db_api, [
            db_api.register(register_view, dataset_display_name="register"),
            db_api.register(reference_view, dataset_display_name="reference"),
        ]

    def table(self, db_api, path: Path, display_name: str):
        view = self._view("ier_lookup", f"SELECT * FROM read_parquet({_quoted(path)})")
        return db_api.register(view, dataset_display_name=display_name)

    def write_pairs(self, predictions, path: Path, given_names_differ: float) -> None:
        """Write the scored pairs to `path` (a Parquet file), atomically."""
        names = [
            column[0]
            for column in self.con.execute(
                f"SELECT * FROM {predictions.physical_name} LIMIT 0"
            ).description
        ]
        columns = _pair_columns(names, given_names_differ)
        partial = path.with_name(path.name + ".partial")
        query = f"SELECT {columns} FROM {predictions.physical_name}"
        self.con.execute(f"COPY ({query}) TO {_quoted(partial)} (FORMAT parquet)")
        os.replace(partial, path)
        predictions.drop_table_from_database_and_remove_from_cache()


class SparkEngine:
    """Splink on Spark (local mode here; a cluster in production)."""

    name = "spark"

    def __init__(self, threads: int | None, work_dir: Path):
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location

        # py4j logs at INFO while the interpreter shuts down, after log handlers
        # may have closed their streams.
        logging.getLogger("py4j").setLevel(logging.WARNING)
        cores = threads or os.cpu_count() or 1
        self._counter = 0
        self.spark = (
            SparkSession.builder.master("local[%d]" % cores)
            .appName("ier-confirm")
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", str(cores * 2))
            .config("spark.driver.memory", "4g")
            .config("spark.local.dir", str(work_dir / "spark"))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        self.spark.sparkContext.setCheckpointDir(
            str(work_dir / "spark" / "checkpoints")
        )

    def inputs(
        self,
        register: Path,
        reference: Path,
        partition: int | None = None,
        leave_out: list[str] | None = None,
        candidates: Path | None = None,
    ):
        from splink import SparkAPI

        register_frame = self.spark.read.parquet(str(register))
        if partition is not None:
            register_frame = register_frame.where("partition_id = %d" % partition)
        register_frame = register_frame.drop("partition_id", *(leave_out or []))
        db_api = SparkAPI(spark_session=self.spark, break_lineage_method="persist")
        reference_frame = self.spark.read.parquet(str(reference)).drop(
            *(leave_out or [])
        )
        if candidates is not None:
            people = (
                self.spark.read.parquet(str(candidates))
                .selectExpr(f"{CANDIDATE_PERSON_ID} AS unique_id")
                .distinct()
            )
            reference_frame = reference_frame.join(people, "unique_id", "left_semi")
        self._counter += 1
        # Spark's temporary views outlive one linker: each needs a name of its own.
        return db_api, [
            db_api.register(
                register_frame,
                dataset_display_name="register",
                table_name="ier_register_%d" % self._counter,
            ),
            db_api.register(
                reference_frame,
                dataset_display_name="reference",
                table_name="ier_reference_%d" % self._counter,
            ),
        ]

    def table(self, db_api, path: Path, display_name: str):
        self._counter += 1
        return db_api.register(
            self.spark.read.parquet(str(path)),
            dataset_display_name=display_name,
            table_name="ier_%s_%d" % (display_name, self._counter),
        )

    def write_pairs(self, predictions, path: Path, given_names_differ: float) -> None:
        """Write the scored pairs to `path` (a directory of Parquet files)."""
        frame = predictions.as_spark_dataframe()
        columns = _pair_columns(frame.columns, given_names_differ)
        partial = path.with_name(path.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        frame.createOrReplaceTempView("ier_predictions")
        self.spark.sql(f"SELECT {columns} FROM ier_predictions").write.parquet(
            str(partial)
        )
        os.replace(partial, path)

    def close(self) -> None:
        self.spark.stop()
