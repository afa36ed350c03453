"""A plain Splink model on an evaluation set, to compare `ier confirm` with.

    .venv/bin/python benchmarks/confirm_baseline.py SET
    .venv/bin/python benchmarks/confirm_baseline.py SET --out B.csv --compare R.csv

SET is a folder written by `benchmarks/confirm_accuracy.py` (register.csv,
reference.csv and truth.csv in the CSV contract). The baseline is what anyone
would build first with Splink's own library and nothing of ours: light cleaning
(lower case, spaces and punctuation out of postcodes), one default comparison
per field (`NameComparison` for the given and family names, `PostcodeComparison`,
Jaro-Winkler on the address lines, the town exact, `DateOfBirthComparison` when
both files have dates of birth), loose blocking (any one of postcode, given name
or family name, or the first two letters of both names), the same prior as ours,
u from random pairs, m by expectation maximisation. An elector is green when
their best candidate has a probability of at least --green (0.9) and is the
best candidate of that person too (so nobody is confirmed twice), amber from
0.5, red below.

It is the strictest fair baseline: it reads the files through the same contract
and is scored by the same function (`confirm.accuracy`). It refuses a set it
cannot judge fairly (exit 2): a missing or repeated column or id, an empty
file, a truth file that names electors or people the files do not have, or a
truth file that does not cover every elector. It checks its own output (exit
1): one row per elector, only known people, nobody green twice.

With --compare RESULTS (a results.csv of `ier confirm` on the same set) it also
counts, per elector with a record, where one is right and green and the other
is not, and writes those electors' ids, ratings and probabilities (no names) to
--out with the suffix `.compare.csv`.
"""

import argparse
import sys
from pathlib import Path

import duckdb
import splink.comparison_library as cl
from confirm import accuracy  # benchmarks/confirm.py
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from ier.confirmation.inputs import FIELDS
from ier.confirmation.model import prior_match_probability

SEED = 2014
U_MAX_PAIRS = 2e6
EM_MAX_PAIRS = 2e5


class BadSet(Exception):
    """The set cannot be judged fairly."""


def _quoted(path: Path) -> str:
    return "'{}'".format(str(path).replace("'", "''"))


def load(con, path: Path, id_column: str, table: str) -> int:
    """Load one side, cleaned lightly, as `table`; return its row count."""
    if not path.is_file():
        raise BadSet(f"{path}: no such file")
    con.execute(
        f"CREATE OR REPLACE TABLE raw_{table} AS "
        f"SELECT * FROM read_csv({_quoted(path)}, all_varchar = true, header = true)"
    )
    columns = [row[0] for row in con.execute(f"DESCRIBE raw_{table}").fetchall()]
    wanted = [id_column, *FIELDS]
    missing = [c for c in wanted if c not in columns]
    if missing:
        raise BadSet(f"{path}: missing columns {', '.join(missing)}")
    rows, ids, empty = con.execute(
        f"SELECT count(*), count(DISTINCT {id_column}), "
        f"count(*) FILTER (WHERE coalesce(trim({id_column}), '') = '') "
        f"FROM raw_{table}"
    ).fetchall()[0]
    if not rows:
        raise BadSet(f"{path}: no records")
    if empty or ids != rows:
        raise BadSet(f"{path}: empty or repeated {id_column}")

    def clean(column: str) -> str:
        return f"nullif(trim(lower({column})), '')"

    con.execute(
        f"""CREATE OR REPLACE TABLE {table} AS SELECT
            {id_column} AS unique_id,
            {clean("first_name")} AS first_name,
            {clean("surname")} AS surname,
            nullif(regexp_replace(upper(coalesce(postcode, '')), '[^A-Z0-9]', '',
                'g'), '') AS postcode,
            nullif(trim(lower(concat_ws(' ', address_line_1, address_line_2))), '')
                AS address,
            {clean("town")} AS town,
            CAST(try_strptime(date_of_birth, '%Y-%m-%d') AS DATE) AS date_of_birth
        FROM raw_{table}"""
    )
    return rows


def check_truth(con, truth: Path) -> None:
    """Refuse a truth file that does not describe these two files."""
    if not truth.is_file():
        raise BadSet(f"{truth}: no such file")
    con.execute(
        f"CREATE OR REPLACE TABLE truth AS SELECT elector_id, "
        f"nullif(person_id, '') AS person_id "
        f"FROM read_csv({_quoted(truth)}, all_varchar = true, header = true)"
    )
    unknown_electors, unknown_people, repeated, uncovered = con.execute(
        """SELECT
            (SELECT count(*) FROM truth WHERE elector_id NOT IN
                (SELECT unique_id FROM register)),
            (SELECT count(*) FROM truth WHERE person_id IS NOT NULL
                AND person_id NOT IN (SELECT unique_id FROM reference)),
            (SELECT count(*) - count(DISTINCT elector_id) FROM truth),
            (SELECT count(*) FROM register WHERE unique_id NOT IN
                (SELECT elector_id FROM truth))"""
    ).fetchall()[0]
    if unknown_electors or unknown_people or repeated or uncovered:
        raise BadSet(
            f"{truth}: {unknown_electors} unknown electors, {unknown_people} unknown"
            f" people, {repeated} repeated electors, {uncovered} electors missing"
        )
    if not con.execute("SELECT count(person_id) FROM truth").fetchall()[0][0]:
        raise BadSet(f"{truth}: no elector has a record")


def with_dates(con) -> bool:
    """Dates of birth are compared when both sides have some."""
    return all(
        con.execute(f"SELECT count(date_of_birth) FROM {side}").fetchall()[0][0]
        for side in ("register", "reference")
    )


def score(con, dates: bool, electors: int, people: int, green: float):
    """Train the plain model and return the table of scored pairs."""
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("surname"),
        cl.PostcodeComparison("postcode"),
        cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
        cl.ExactMatch("town"),
    ]
    if dates:
        comparisons.append(
            cl.DateOfBirthComparison("date_of_birth", input_is_string=False)
        )
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior_match_probability(electors, people),
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("postcode"),
            block_on("first_name"),
            block_on("surname"),
            block_on("substr(first_name, 1, 2)", "substr(surname, 1, 2)"),
        ],
    )
    db_api = DuckDBAPI(con)
    linker = Linker(
        [
            db_api.register("register", dataset_display_name="register"),
            db_api.register("reference", dataset_display_name="reference"),
        ],
        settings,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED)
    for rule in (block_on("first_name", "surname"), block_on("postcode")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=EM_MAX_PAIRS
        )
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    con.execute(
        f"""CREATE OR REPLACE TABLE scored AS SELECT
            CASE WHEN source_dataset_l = 'register' THEN unique_id_l
                ELSE unique_id_r END AS elector_id,
            CASE WHEN source_dataset_l = 'register' THEN unique_id_r
                ELSE unique_id_l END AS person_id,
            match_weight, match_probability
        FROM {predictions.physical_name}"""
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE decided AS
        WITH ranked AS (
            SELECT *,
                row_number() OVER (PARTITION BY elector_id
                    ORDER BY match_weight DESC, person_id) AS elector_rank,
                row_number() OVER (PARTITION BY person_id
                    ORDER BY match_weight DESC, elector_id) AS person_rank
            FROM scored
        )
        SELECT r.unique_id AS elector_id,
            CASE WHEN b.match_probability >= 0.5 THEN b.person_id END AS person_id,
            round(coalesce(b.match_probability, 0), 6) AS match_probability,
            CASE
                WHEN b.match_probability >= {green:.17g} AND b.person_rank = 1
                    THEN 'green'
                WHEN b.match_probability >= 0.5 THEN 'amber'
                ELSE 'red'
            END AS rag
        FROM register AS r
        LEFT JOIN (SELECT * FROM ranked WHERE elector_rank = 1) AS b
            ON b.elector_id = r.unique_id"""
    )


def check_output(con, electors: int) -> list[str]:
    """Return what is wrong with the decisions (nothing, when all is well)."""
    rows, distinct, unknown, twice = con.execute(
        """SELECT count(*), count(DISTINCT elector_id),
            count(*) FILTER (WHERE person_id IS NOT NULL AND person_id NOT IN
                (SELECT unique_id FROM reference)),
            (SELECT count(*) - count(DISTINCT person_id) FROM decided
                WHERE rag = 'green')
        FROM decided"""
    ).fetchall()[0]
    scored_true, greens = con.execute(
        """SELECT
            (SELECT count(*) FROM scored JOIN truth USING (elector_id, person_id)),
            (SELECT count(*) FROM decided WHERE rag = 'green')"""
    ).fetchall()[0]
    problems = []
    if not scored_true or not greens:
        # A model that finds nothing was not trained on these files.
        problems.append(f"{scored_true} true pairs scored, {greens} greens")
    if rows != electors or distinct != electors:
        problems.append(f"{rows} rows for {electors} electors")
    if unknown:
        problems.append(f"{unknown} unknown people")
    if twice:
        problems.append(f"{twice} people green for two electors")
    return problems


def compare(con, ours: Path, out: Path) -> None:
    """Count, and write, the electors on which the two disagree."""
    con.execute(
        f"""CREATE OR REPLACE TABLE ours AS SELECT elector_id,
            nullif(person_id, '') AS person_id, rag,
            CAST(match_probability AS DOUBLE) AS match_probability
        FROM read_csv({_quoted(ours)}, all_varchar = true, header = true)"""
    )
    con.execute(
        """CREATE OR REPLACE TABLE compared AS SELECT t.elector_id,
            o.rag AS ours_rag, o.match_probability AS ours_probability,
            o.person_id = t.person_id AS ours_person_right,
            b.rag AS baseline_rag, b.match_probability AS baseline_probability,
            b.person_id = t.person_id AS baseline_person_right,
            coalesce(o.rag = 'green' AND o.person_id = t.person_id, false)
                AS ours_green_right,
            coalesce(b.rag = 'green' AND b.person_id = t.person_id, false)
                AS baseline_green_right
        FROM truth AS t JOIN ours AS o USING (elector_id)
        JOIN decided AS b USING (elector_id)
        WHERE t.person_id IS NOT NULL"""
    )
    both, only_baseline, only_ours = con.execute(
        """SELECT
            count(*) FILTER (WHERE ours_green_right AND baseline_green_right),
            count(*) FILTER (WHERE baseline_green_right AND NOT ours_green_right),
            count(*) FILTER (WHERE ours_green_right AND NOT baseline_green_right)
        FROM compared"""
    ).fetchall()[0]
    sys.stdout.write(
        f"\nright greens of both: {both:,}; of the baseline only: {only_baseline:,}"
        f"; of ier confirm only: {only_ours:,}\n"
    )
    for rag, count in con.execute(
        """SELECT ours_rag, count(*) FROM compared
        WHERE baseline_green_right AND NOT ours_green_right GROUP BY 1 ORDER BY 1"""
    ).fetchall():
        sys.stdout.write(f"  baseline right green, ier confirm {rag}: {count:,}\n")
    target = out.with_suffix(".compare.csv")
    con.execute(
        f"COPY (SELECT * FROM compared WHERE ours_green_right <> "
        f"baseline_green_right ORDER BY elector_id) TO {_quoted(target)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", type=Path, help="folder with the three CSV files")
    parser.add_argument("--out", type=Path, help="results.csv of the baseline")
    parser.add_argument("--green", type=float, default=0.9)
    parser.add_argument("--compare", type=Path, help="results.csv of ier confirm")
    options = parser.parse_args()
    out = options.out or options.set / "baseline-results.csv"
    con = duckdb.connect()
    try:
        electors = load(con, options.set / "register.csv", "elector_id", "register")
        people = load(con, options.set / "reference.csv", "person_id", "reference")
        check_truth(con, options.set / "truth.csv")
    except (BadSet, duckdb.Error) as error:
        sys.stderr.write(f"confirm_baseline: {error}\n")
        return 2
    dates = with_dates(con)
    score(con, dates, electors, people, options.green)
    problems = check_output(con, electors)
    if problems:
        sys.stderr.write("confirm_baseline: " + "; ".join(problems) + "\n")
        return 1
    con.execute(
        f"COPY (SELECT * FROM decided ORDER BY elector_id) TO {_quoted(out)} "
        "(HEADER, DELIMITER ',')"
    )
    figures = accuracy(out, options.set / "truth.csv")
    sys.stdout.write(
        "| set | dates of birth | green precision | green recall | amber | red |\n"
        "| --- | --- | ---: | ---: | ---: | ---: |\n"
        "| %s | %s | %.4f | %.4f | %.1f%% | %.1f%% |\n"
        % (
            options.set.name,
            "yes" if dates else "no",
            figures["green_precision"],
            figures["green_recall"],
            100 * figures["amber_share"],
            100 * figures["red_share"],
        )
    )
    if options.compare:
        compare(con, options.compare, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
