"""`ier confirm` from end to end, in restartable steps.

1. prepare: check and load both CSV files, normalise them, plan the partitions
   (groups of postcode areas of the register) and keep the result as Parquet;
2. match exactly: pair the electors whose record agrees exactly with one
   person's, and nobody else's (`exact`); they need no blocking;
3. block: for each blocking rule, join the two files on its key once, over the
   whole of both files (less the exact electors), keeping only row numbers, and
   file the pairs by the partition of their elector;
4. train: estimate the model without labels, keep it as JSON;
5. score: for each partition, take its exact electors' pairs and its candidate
   pairs of every rule, each pair once, and score just those (with the records
   they name, nothing else) with the trained model; keep the scored pairs as
   one Parquet file per partition;
6. decide: pick one candidate per elector, rate it, write results (and report).

The work grows with the number of candidate pairs, not with partitions x the
reference set: no partition reads more of the reference set than the people its
own candidate pairs name.

Every step leaves its output in the work directory under a name that appears only
when the step has finished (written to a temporary name, then renamed), and
`state.json` records which inputs the work belongs to. Run the same command again
after a kill and it carries on from the first unfinished step or partition.
"""

# SQL here is assembled from our own constants, table names and quoted paths;
# values from the input files never become SQL text.
# ruff: noqa: S608

import contextlib
import dataclasses
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from splink import Linker
from tqdm import tqdm

from ier.confirmation import (
    assign,
    engines,
    evaluation,
    exact,
    inputs,
    model,
    normalise,
    report,
)
from ier.confirmation.files import atomic_output

logger = logging.getLogger(__name__)

STATE_VERSION = 4
# Pairs below this probability cannot be amber, nor stop a green (a runner-up this
# weak is far more than the margin below any green), so they are not kept.
KEEP_PROBABILITY = 0.01
TERM_FREQUENCY_COLUMNS = ("first_name", "surname")
JOIN_KEY_SEPARATOR = engines.JOIN_KEY_SEPARATOR


@dataclass(frozen=True)
class ConfirmRequest:
    """What `ier confirm` was asked to do."""

    register: Path
    reference: Path
    out: Path
    report: Path | None = None
    engine: str = "duckdb"
    work_dir: Path | None = None
    partition_size: int = 1_000_000
    thresholds: assign.Thresholds = field(default_factory=assign.Thresholds)
    threads: int | None = None
    memory_limit: str = "3GB"
    progress: bool = True
    keep_work_dir: bool = False
    # A truth file (elector_id, person_id) to measure the run against.
    truth: Path | None = None

    @property
    def work_path(self) -> Path:
        return Path(self.work_dir or f"{self.out}.work")


@dataclass
class Summary:
    """What a run did: counts by rating, partitions and time."""

    electors: int = 0
    people: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    partitions: int = 0
    partitions_resumed: int = 0
    # Electors paired by the exact-match pass (not blocked).
    matched_exactly: int = 0
    seconds: float = 0.0
    step_seconds: dict[str, float] = field(default_factory=dict)
    # CPU time of the whole process (every thread) per step: on a shared machine
    # the wall clock says more about the neighbours than about the work.
    step_cpu_seconds: dict[str, float] = field(default_factory=dict)
    # Pairs each blocking rule generates on its own.
    candidates: list[evaluation.RuleFigures] = field(default_factory=list)
    evaluated: evaluation.Evaluation | None = None


class WorkDirectory:
    """The files one run keeps between steps, and the record of which are done."""

    def __init__(self, request: ConfirmRequest):
        self.request = request
        self.path = request.work_path
        self.fingerprint = _fingerprint(request)
        self.state = self._load_state()

    def _load_state(self) -> dict:
        state_file = self.path / "state.json"
        if state_file.exists():
            state = json.loads(state_file.read_text(encoding="utf-8"))
            if state.get("fingerprint") == self.fingerprint:
                logger.info("Resuming the work in %s", self.path)
                return state
            logger.info(
                "Inputs changed since the work in %s; starting again", self.path
            )
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        for folder in ("pairs", "blocked", "candidates"):
            (self.path / folder).mkdir(exist_ok=True)
        return {"fingerprint": self.fingerprint}

    def save(self, **values) -> None:
        self.state.update(values)
        with atomic_output(self.path / "state.json") as partial:
            partial.write_text(json.dumps(self.state, indent=1), encoding="utf-8")

    def file(self, name: str) -> Path:
        return self.path / name

    def pairs(self, partition: int) -> Path:
        return self.path / "pairs" / ("part-%04d.parquet" % partition)

    def blocked(self, rule: int) -> Path:
        """The pairs of one blocking rule: a folder of Parquet files, one folder
        per partition (`partition_id=N`)."""
        return self.path / "blocked" / ("rule-%02d" % rule)

    def candidates(self, partition: int) -> Path:
        return self.path / "candidates" / ("part-%04d.parquet" % partition)


def _fingerprint(request: ConfirmRequest) -> dict:
    def describe(path: Path) -> list:
        stat = path.stat()
        return [str(path.resolve()), stat.st_size, stat.st_mtime_ns]

    for path in (request.register, request.reference):
        if not path.is_file():
            raise inputs.InputFileError(f"input file {path} does not exist")
    return {
        "version": STATE_VERSION,
        "engine": request.engine,
        "partition_size": request.partition_size,
        "register": describe(request.register),
        "reference": describe(request.reference),
    }


def _quoted(path: Path) -> str:
    return "'{}'".format(str(path).replace("'", "''"))


def _scalar(con, sql: str):
    return con.execute(sql).fetchall()[0][0]


def prepare(con, work: WorkDirectory) -> None:
    """Load, check and normalise both files; plan partitions; keep as Parquet."""
    if "prepared" in work.state:
        return
    normalise.install_macros(con)
    sides = (
        (inputs.register_file, work.request.register, "raw_register"),
        (inputs.reference_file, work.request.reference, "raw_reference"),
    )
    for make_source, path, table in sides:
        source = make_source(path)
        inputs.load(con, source, table)
        normalised = normalise.normalised_sql(table, source.id_column)
        con.execute(f"CREATE OR REPLACE TABLE norm_{table[4:]} AS {normalised}")
    with_dates_of_birth = _covered(con, "date_of_birth")
    keys = model.blocking_keys(with_dates_of_birth)
    for side in ("register", "reference"):
        add_blocking_keys(con, f"norm_{side}", keys)
        mark_alone_at_address(con, f"norm_{side}")
    drop_crowded_keys(con, keys)
    partitions = _plan_partitions(con, work.request.partition_size)
    con.execute(
        "COPY (SELECT n.*, coalesce(p.partition_id, 0) AS partition_id "
        "FROM norm_register n LEFT JOIN ier_partitions p USING (postcode_area) "
        "ORDER BY n.row_number) TO {} (FORMAT parquet)".format(
            _quoted(work.file("register.parquet"))
        )
    )
    con.execute(
        "COPY norm_reference TO {} (FORMAT parquet)".format(
            _quoted(work.file("reference.parquet"))
        )
    )
    for column in TERM_FREQUENCY_COLUMNS:
        _write_term_frequencies(con, column, work.file(f"tf_{column}.parquet"))
    work.save(
        prepared=True,
        electors=_scalar(con, "SELECT count(*) FROM norm_register"),
        people=_scalar(con, "SELECT count(*) FROM norm_reference"),
        partitions=partitions,
        with_dates_of_birth=with_dates_of_birth,
        with_middle_names=_covered(con, "middle_names"),
    )


def add_blocking_keys(con, table: str, keys) -> None:
    """Add each blocking key to `table` as a column of 63-bit hashes.

    A number joins faster and takes less room than the text it stands for; two
    different values with one hash would only add a pair to score.
    """
    columns = ", ".join(
        f"CASE WHEN ({key.expression}) IS NOT NULL "
        f"THEN (hash({key.expression}) >> 1)::BIGINT END AS {key.column}"
        for key in keys
    )
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT *, {columns} FROM {table}")


def mark_alone_at_address(con, table: str) -> None:
    """Add `alone_at_address`: no other record of `table` has this surname at this
    address (postcode and house numbers). False when any of them is missing."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {table} AS
        SELECT *, coalesce(surname IS NOT NULL AND postcode IS NOT NULL
            AND address_numbers IS NOT NULL AND count(*) OVER (
                PARTITION BY surname, postcode, address_numbers) = 1, false)
            AS alone_at_address
        FROM {table}
        """
    )


def drop_crowded_keys(con, keys) -> None:
    """Empty each blocking key whose value would pair more electors x people than
    the key allows (`model.BlockingKey.max_pairs`), on both sides.

    The crowded values of every key are found first; then each table is written
    once with all of them emptied (one pass, where an UPDATE per key and side
    would rewrite the wide table forty times).
    """
    capped = [key for key in keys if key.max_pairs is not None]
    for key in capped:
        column = key.column
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE ier_crowded_{column} AS
            SELECT {column} FROM
                (SELECT {column}, count(*) AS n FROM norm_register
                    WHERE {column} IS NOT NULL GROUP BY ALL) AS l
                JOIN (SELECT {column}, count(*) AS n FROM norm_reference
                    WHERE {column} IS NOT NULL GROUP BY ALL) AS r USING ({column})
            WHERE l.n * r.n > {key.max_pairs:d}
            """
        )
    if not capped:
        return
    emptied = ", ".join(
        f"CASE WHEN {key.column} IN (SELECT {key.column} FROM ier_crowded_"
        f"{key.column}) THEN NULL ELSE {key.column} END AS {key.column}"
        for key in capped
    )
    for side in ("register", "reference"):
        columns = {row[0] for row in con.execute(f"DESCRIBE norm_{side}").fetchall()}
        # In the order of the file, as the rest of the run (and its samples) expects.
        order = " ORDER BY row_number" if "row_number" in columns else ""
        con.execute(
            f"CREATE OR REPLACE TABLE norm_{side} AS "
            f"SELECT * REPLACE ({emptied}) FROM norm_{side}{order}"
        )
    for key in capped:
        con.execute(f"DROP TABLE ier_crowded_{key.column}")


def _covered(con, column: str) -> bool:
    shares = [
        _scalar(
            con,
            f"SELECT coalesce(avg(({column} IS NOT NULL)::int), 0) FROM norm_{side}",
        )
        for side in ("register", "reference")
    ]
    return min(shares) >= model.MIN_COLUMN_COVERAGE


def _plan_partitions(con, partition_size: int) -> list[list[int]]:
    """Group the register's postcode areas into partitions of about
    `partition_size` electors; return [[partition id, electors], ...]."""
    areas = con.execute(
        "SELECT coalesce(postcode_area, '') AS area, count(*) FROM norm_register "
        "GROUP BY ALL ORDER BY area"
    ).fetchall()
    assignments, sizes = [], [0]
    for area, electors in areas:
        if sizes[-1] and sizes[-1] + electors > partition_size:
            sizes.append(0)
        sizes[-1] += electors
        assignments.append((area, len(sizes) - 1))
    con.execute(
        "CREATE OR REPLACE TABLE ier_partitions "
        "(postcode_area VARCHAR, partition_id INTEGER)"
    )
    if assignments:
        con.executemany("INSERT INTO ier_partitions VALUES (?, ?)", assignments)
    con.execute(
        "UPDATE ier_partitions SET postcode_area = NULL WHERE postcode_area = ''"
    )
    return [[index, size] for index, size in enumerate(sizes) if size]


def match_exactly(con, work: WorkDirectory) -> None:
    """Find the exact electors' pairs (see `exact`: the exact pair and the
    elector's near-twins) and keep them as row numbers with the partition of
    their elector (`exact.parquet`, under that name only once complete)."""
    if "matched_exactly" in work.state:
        return
    pairs = exact.pairs_sql(
        work.file("register.parquet"),
        work.file("reference.parquet"),
        work.state["with_dates_of_birth"],
    )
    with atomic_output(work.file("exact.parquet")) as partial:
        con.execute(f"COPY ({pairs}) TO {_quoted(partial)} (FORMAT parquet)")
    matched, pairs = con.execute(
        f"SELECT count(*) FILTER (WHERE exact), count(*) FROM {_exact_pairs(work)}"
    ).fetchall()[0]
    work.save(matched_exactly=matched, exact_pairs=pairs)


def _exact_pairs(work: WorkDirectory) -> str:
    """Return a relation of the exact electors' pairs (none when the step did
    not run: a file without electors or people)."""
    path = work.file("exact.parquet")
    if path.exists():
        return f"read_parquet({_quoted(path)})"
    return (
        "(SELECT NULL::INTEGER AS partition_id, NULL::BIGINT AS register_row, "
        "NULL::BIGINT AS reference_row, NULL::BOOLEAN AS exact WHERE false)"
    )


def block(con, work: WorkDirectory) -> None:
    """Join the two files on each blocking key, once, and keep the pairs as row
    numbers filed by the partition of their elector (see `WorkDirectory.blocked`).

    Only the key and the row numbers are read, so a join costs little memory
    whatever the width of the records; DuckDB spills a join larger than its memory
    limit to the work directory. A rule whose folder exists is done: a kill
    leaves at most a `.partial` folder, which is thrown away.
    """
    if "blocked" in work.state:
        return
    # The exact electors have their candidate already (`match_exactly`).
    register = (
        "(SELECT * FROM read_parquet({}) WHERE row_number NOT IN "
        "(SELECT register_row FROM {} WHERE exact))".format(
            _quoted(work.file("register.parquet")), _exact_pairs(work)
        )
    )
    reference = "read_parquet({})".format(_quoted(work.file("reference.parquet")))
    keys = model.blocking_keys(work.state["with_dates_of_birth"])
    counts = {}
    for index, key in enumerate(keys):
        target = work.blocked(index)
        if not target.exists():
            partial = target.with_name(target.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            column = key.column
            con.execute(
                f"""COPY (
                    SELECT l.partition_id, l.row_number AS register_row,
                        r.row_number AS reference_row
                    FROM (SELECT partition_id, row_number, {column} FROM {register}
                          WHERE {column} IS NOT NULL) AS l
                    JOIN (SELECT row_number, {column} FROM {reference}
                          WHERE {column} IS NOT NULL) AS r USING ({column})
                ) TO {_quoted(partial)} (FORMAT parquet, PARTITION_BY (partition_id))
                """
            )
            partial.mkdir(exist_ok=True)  # a rule that pairs nobody
            os.replace(partial, target)
        counts[key.name] = _blocked_count(con, target)
    work.save(blocked=True, candidate_pairs=counts)


def _parquet_files(folder: Path, pattern: str = "**/*.parquet") -> list[str]:
    return sorted(str(path) for path in folder.glob(pattern))


def _parquet_list(files: list[str]) -> str:
    return "[{}]".format(", ".join(_quoted(Path(name)) for name in files))


def _blocked_count(con, folder: Path) -> int:
    files = _parquet_files(folder)
    if not files:
        return 0
    return _scalar(con, f"SELECT count(*) FROM read_parquet({_parquet_list(files)})")


def write_candidates(con, work: WorkDirectory, partition: int) -> Path:
    """Write one partition's candidate pairs, its exact pairs and each pair of
    the blocking rules once however many rules found it, as Splink's blocked
    pairs (`join_key_l` the elector, `join_key_r` the person); return the
    file."""
    path = work.candidates(partition)
    if path.exists():
        return path
    files = _parquet_files(
        work.path / "blocked", f"rule-*/partition_id={partition:d}/*.parquet"
    )
    exact_pairs = (
        f"SELECT register_row, reference_row FROM {_exact_pairs(work)} "
        f"WHERE partition_id = {partition:d}"
    )
    # An exact elector is in no rule's pairs, and its own pairs are distinct
    # (a near-twin differs from it in one field only): no DISTINCT needed.
    pairs = (
        f"SELECT DISTINCT register_row, reference_row FROM read_parquet("
        f"{_parquet_list(files)}, hive_partitioning = false) "
        f"UNION ALL {exact_pairs}"
        if files
        else exact_pairs
    )
    register = _quoted(work.file("register.parquet"))
    reference = _quoted(work.file("reference.parquet"))
    with atomic_output(path) as partial:
        con.execute(
            f"""COPY (
                SELECT '0' AS match_key,
                    'register{JOIN_KEY_SEPARATOR}' || l.unique_id AS join_key_l,
                    'reference{JOIN_KEY_SEPARATOR}' || r.unique_id AS join_key_r
                FROM ({pairs}) AS p
                JOIN (SELECT row_number, unique_id FROM read_parquet({register})
                      WHERE partition_id = {partition:d}) AS l
                    ON l.row_number = p.register_row
                JOIN (SELECT row_number, unique_id FROM read_parquet({reference}))
                    AS r ON r.row_number = p.reference_row
            ) TO {_quoted(partial)} (FORMAT parquet)"""
        )
    return path


def _write_term_frequencies(con, column: str, path: Path) -> None:
    # Frequencies over both files together, as Splink would compute them, but once
    # for the whole run so that every partition scores names the same way.
    con.execute(
        f"""COPY (
            SELECT {column}, count(*)::DOUBLE / sum(count(*)) OVER () AS tf_{column}
            FROM (SELECT {column} FROM norm_register
                  UNION ALL SELECT {column} FROM norm_reference)
            WHERE {column} IS NOT NULL GROUP BY {column}
        ) TO {_quoted(path)} (FORMAT parquet)"""
    )


def _linker(engine, work: WorkDirectory, settings, partition: int | None = None):
    """Return a Splink linker of the work's two inputs (one partition of the
    register, or all of it).

    Splink sees the records without their blocking keys: its pairs for scoring
    come from `write_candidates`, and training blocks on the fields themselves,
    so the keys would only be carried through Splink's tables for nothing.
    """
    keys = model.blocking_keys(work.state["with_dates_of_birth"])
    leave_out = [key.column for key in keys]
    # A partition is scored against the people among its candidates only: the
    # rest could not change a score (term frequencies come from the whole run's
    # files), and reading the whole reference set once a partition would grow
    # with the square of the country.
    db_api, frames = engine.inputs(
        work.file("register.parquet"),
        work.file("reference.parquet"),
        partition,
        leave_out,
        None if partition is None else work.candidates(partition),
    )
    linker = Linker(frames, settings, log_level=None)
    for column in TERM_FREQUENCY_COLUMNS:
        lookup = engine.table(db_api, work.file(f"tf_{column}.parquet"), f"tf_{column}")
        linker.table_management.register_term_frequency_lookup(lookup, column)
    if partition is not None:
        pairs = engine.table(db_api, work.candidates(partition), "candidates")
        linker.table_management.register_blocked_pairs_for_predict(pairs)
    return linker


def _settings(work: WorkDirectory):
    state = work.state
    settings = model.settings(
        state["with_dates_of_birth"],
        state["with_middle_names"],
        state["electors"],
        state["people"],
    )
    # Splink never blocks for prediction here: `block` and `write_candidates`
    # choose the pairs (with the rules of `model.blocking_keys`).
    return dataclasses.replace(settings, blocking_rules_to_generate_predictions=[])


def train(engine, work: WorkDirectory) -> dict:
    """Estimate the model (or read the one already estimated); return it.

    Training works on bounded samples (see `model`), so it always runs on DuckDB;
    only scoring, which grows with the data, runs on the chosen engine.
    """
    path = work.file("model.json")
    if not path.exists():
        linker = _linker(engine, work, _settings(work))
        model.train(linker, work.state["with_dates_of_birth"])
        with atomic_output(path) as partial:
            linker.misc.save_model_to_json(str(partial), overwrite=True)
    return json.loads(path.read_text(encoding="utf-8"))


def score(con, engine, work: WorkDirectory, trained: dict, progress: bool) -> int:
    """Score every partition not yet scored; return how many were already done."""
    resumed = 0
    partitions = work.state["partitions"]
    settings = model.for_dialect(trained, _settings(work), engine.name)
    given_names_differ = model.else_level_weight(trained, "first_name")
    with tqdm(
        total=work.state["electors"],
        unit=" electors",
        disable=not progress,
        desc="Scoring",
        unit_scale=True,
    ) as bar:
        for partition, electors in partitions:
            path = work.pairs(partition)
            if path.exists():
                resumed += 1
            else:
                candidates = write_candidates(con, work, partition)
                linker = _linker(engine, work, settings, partition)
                predictions = linker.inference.predict(
                    threshold_match_probability=KEEP_PROBABILITY, warning_mode="never"
                )
                engine.write_pairs(predictions, path, given_names_differ)
                candidates.unlink()
            bar.update(electors)
    return resumed


def _pairs_sql(work: WorkDirectory) -> str:
    pairs = work.path / "pairs"
    if any(pairs.iterdir()):
        return "SELECT * FROM read_parquet({})".format(
            _quoted(pairs / "**" / "*.parquet")
        )
    return (
        "SELECT NULL::VARCHAR AS elector_id, NULL::VARCHAR AS person_id, "
        "NULL::DOUBLE AS match_weight, NULL::DOUBLE AS match_probability, "
        "NULL::BOOLEAN AS identifies_person WHERE false"
    )


def decide(con, request: ConfirmRequest, work: WorkDirectory, trained, summary):
    """Write results.csv (and the report); fill in the summary's counts by rating,
    candidate counts and, given a truth file, its evaluation."""
    pairs_sql = _pairs_sql(work)
    assign.decide(
        con,
        pairs_sql,
        request.thresholds,
        "ier_best",
        model.unmatched_shares(work.state["electors"], work.state["people"]),
    )
    register_sql = "SELECT unique_id, row_number FROM read_parquet({})".format(
        _quoted(work.file("register.parquet"))
    )
    con.execute(
        "CREATE OR REPLACE TEMP VIEW ier_results AS {}".format(
            assign.results_sql(register_sql, "ier_best")
        )
    )
    with atomic_output(request.out) as partial:
        con.execute(f"COPY ier_results TO {_quoted(partial)} (FORMAT csv, HEADER true)")
    counts = dict(
        con.execute("SELECT rag, count(*) FROM ier_results GROUP BY rag").fetchall()
    )
    summary.counts = {rag: counts.get(rag, 0) for rag in ("green", "amber", "red")}
    keys = model.blocking_keys(work.state["with_dates_of_birth"])
    if request.truth:
        summary.evaluated = evaluation.evaluate(
            con, request.truth, work, keys, pairs_sql, "ier_results", _exact_pairs(work)
        )
        summary.candidates = summary.evaluated.rules
    else:
        counted = work.state.get("candidate_pairs", {})
        summary.candidates = [
            evaluation.RuleFigures(evaluation.EXACT, work.state.get("exact_pairs", 0)),
            *(
                evaluation.RuleFigures(key.name, counted.get(key.name, 0))
                for key in keys
            ),
        ]
    if request.report:
        with atomic_output(request.report) as partial:
            report.write(con, partial, trained, summary, "ier_best")


def _engine(request: ConfirmRequest, con, work: WorkDirectory):
    if request.engine == "spark":
        return engines.SparkEngine(request.threads, work.path)
    return engines.DuckDBEngine(con)


class _Steps:
    """Times each step of a run, for the summary printed at the end."""

    def __init__(self, summary: Summary):
        self.summary = summary

    @contextlib.contextmanager
    def step(self, name: str):
        started, cpu_started = time.monotonic(), time.process_time()
        yield
        self.summary.step_seconds[name] = time.monotonic() - started
        self.summary.step_cpu_seconds[name] = time.process_time() - cpu_started


def _prepare_or_discard(con, work: WorkDirectory) -> None:
    try:
        prepare(con, work)
    except inputs.InputFileError:
        # Nothing of a refused file is worth keeping for a restart.
        shutil.rmtree(work.path, ignore_errors=True)
        raise


def confirm(request: ConfirmRequest) -> Summary:
    """Run (or resume) bulk confirmation; return what was done."""
    started = time.monotonic()
    # Refuse a broken header before anything is written.
    inputs.read_header(inputs.register_file(request.register))
    inputs.read_header(inputs.reference_file(request.reference))
    if request.truth:
        inputs.read_header(evaluation.truth_file(request.truth))
    work = WorkDirectory(request)
    summary = Summary()
    steps = _Steps(summary)
    con = engines.new_duckdb_connection(
        work.path, request.threads, request.memory_limit
    )
    try:
        with steps.step("prepare"):
            _prepare_or_discard(con, work)
        summary.electors, summary.people = work.state["electors"], work.state["people"]
        summary.partitions = len(work.state["partitions"])
        engine = _engine(request, con, work)
        try:
            trained = _train_and_score(con, engine, work, steps)
            with steps.step("decide"):
                decide(con, request, work, trained, summary)
        finally:
            if hasattr(engine, "close"):
                engine.close()
    finally:
        con.close()
    if not request.keep_work_dir:
        shutil.rmtree(work.path, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    return summary


def _train_and_score(con, engine, work, steps: _Steps) -> dict | None:
    summary = steps.summary
    if not (summary.electors and summary.people):
        return None
    with steps.step("exact"):
        match_exactly(con, work)
    summary.matched_exactly = work.state["matched_exactly"]
    with steps.step("block"):
        block(con, work)
    with steps.step("train"):
        trained = train(engines.DuckDBEngine(con), work)
    with steps.step("score"):
        summary.partitions_resumed = score(
            con, engine, work, trained, work.request.progress
        )
    return trained
