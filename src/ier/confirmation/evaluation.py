"""How right a run was, against a truth file: `ier confirm --evaluate TRUTH.csv`.

The truth file names, for each elector (`elector_id`), the person in the reference
set who is the same human (`person_id`, empty when there is none): synthetic sets
and benchmarks come with one. It is used only to measure, never to train.

Besides green precision and recall, it measures blocking on its own: the share
of true pairs that reach scoring at all, per blocking rule and overall. A true
pair that no rule reaches can never be green, whatever the model.
"""

# SQL here is assembled from our own constants, table names and quoted paths;
# values from the input files never become SQL text.
# ruff: noqa: S608

from dataclasses import dataclass, field
from pathlib import Path

from ier.confirmation import inputs


@dataclass
class RuleFigures:
    """One blocking rule: pairs it generates, and true pairs it reaches."""

    name: str
    candidate_pairs: int
    true_pairs_reached: int | None = None
    # True pairs reached by this rule or any rule before it.
    true_pairs_reached_so_far: int | None = None


@dataclass
class Evaluation:
    """Green precision and recall, counts by rating and blocking recall."""

    electors: int = 0
    matchable: int = 0
    greens: int = 0
    right_greens: int = 0
    ambers: int = 0
    reds: int = 0
    true_pairs_reached: int = 0
    true_pairs_kept: int = 0
    rules: list[RuleFigures] = field(default_factory=list)

    @property
    def green_precision(self) -> float:
        return self.right_greens / self.greens if self.greens else 1.0

    @property
    def green_recall(self) -> float:
        return self.right_greens / self.matchable if self.matchable else 1.0

    @property
    def blocking_recall(self) -> float:
        return self.true_pairs_reached / self.matchable if self.matchable else 1.0

    def share(self, count: int | None) -> float:
        return (count or 0) / self.matchable if self.matchable else 1.0


def _quoted(path: Path) -> str:
    return "'{}'".format(str(path).replace("'", "''"))


# The name the exact-match pass goes by among the blocking rules.
EXACT = "exact"


def candidate_counts(con, register: str, reference: Path, keys) -> list[RuleFigures]:
    """Return, per blocking rule, how many pairs it generates on its own (pairs
    found by several rules are scored once, so the total scored is at most the
    sum) among the electors of `register` (a relation)."""
    figures = []
    for key in keys:
        column = key.column
        count = con.execute(
            f"""
            SELECT coalesce(sum(l.n * r.n), 0)::BIGINT FROM
                (SELECT {column}, count(*) AS n FROM {register}
                    WHERE {column} IS NOT NULL GROUP BY ALL) AS l
                JOIN (SELECT {column}, count(*) AS n
                    FROM read_parquet({_quoted(reference)})
                    WHERE {column} IS NOT NULL GROUP BY ALL) AS r USING ({column})
            """
        ).fetchall()[0][0]
        figures.append(RuleFigures(key.name, count))
    return figures


def truth_file(path) -> inputs.InputFile:
    return inputs.InputFile(Path(path), "truth", "elector_id", ("person_id",))


def load_truth(con, path: Path) -> None:
    """Load the truth file into `ier_truth` (elector_id, person_id or NULL)."""
    source = truth_file(path)
    header = inputs.read_header(source)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE ier_truth AS
        SELECT trim(elector_id) AS elector_id,
            nullif(trim(person_id), '') AS person_id
        FROM {inputs.read_csv_sql(source, header)}
        """
    )


def evaluate(
    con, truth: Path, work, keys, pairs_sql: str, results: str, exact_pairs: str
) -> Evaluation:
    """Measure the decided run (`results`: a view of one row per elector), the
    pairs it kept (`pairs_sql`) and how its candidates were found against
    `truth`: the exact-match pass (`exact_pairs`, a relation of register_row,
    reference_row and `exact`) first, then blocking (the key columns of the
    work directory's inputs) for the other electors."""
    load_truth(con, truth)
    register, reference = work.file("register.parquet"), work.file("reference.parquet")
    row = con.execute(
        f"""
        SELECT count(*),
            count(*) FILTER (WHERE t.person_id IS NOT NULL),
            count(*) FILTER (WHERE rag = 'green'),
            count(*) FILTER (WHERE rag = 'green' AND r.person_id = t.person_id),
            count(*) FILTER (WHERE rag = 'amber'),
            count(*) FILTER (WHERE rag = 'red')
        FROM {results} AS r LEFT JOIN ier_truth AS t USING (elector_id)
        """
    ).fetchall()[0]
    evaluation = Evaluation(*row)
    exact_electors = f"SELECT register_row FROM {exact_pairs} WHERE exact"
    reached = [
        f"coalesce(l.{key.column} = p.{key.column}, false) "
        f"AND l.row_number NOT IN ({exact_electors}) AS {key.name}"
        for key in keys
    ]
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE ier_true_pairs AS
        SELECT t.elector_id, t.person_id, e.register_row IS NOT NULL AS {EXACT},
            {", ".join(reached) or "NULL AS none"}
        FROM ier_truth AS t
        JOIN read_parquet({_quoted(register)}) AS l ON l.unique_id = t.elector_id
        JOIN read_parquet({_quoted(reference)}) AS p ON p.unique_id = t.person_id
        LEFT JOIN {exact_pairs} AS e
            ON e.register_row = l.row_number AND e.reference_row = p.row_number
        """
    )
    blocked = (
        f"(SELECT * FROM read_parquet({_quoted(register)}) "
        f"WHERE row_number NOT IN ({exact_electors}))"
    )
    exact_count = con.execute(f"SELECT count(*) FROM {exact_pairs}").fetchall()[0][0]
    evaluation.rules = [
        RuleFigures(EXACT, exact_count),
        *candidate_counts(con, blocked, reference, keys),
    ]
    so_far: list[str] = []
    for figures in evaluation.rules:
        so_far.append(figures.name)
        figures.true_pairs_reached, figures.true_pairs_reached_so_far = con.execute(
            f"SELECT count(*) FILTER (WHERE {figures.name}), "
            f"count(*) FILTER (WHERE {' OR '.join(so_far)}) FROM ier_true_pairs"
        ).fetchall()[0]
    if evaluation.rules:
        evaluation.true_pairs_reached = (
            evaluation.rules[-1].true_pairs_reached_so_far or 0
        )
    evaluation.true_pairs_kept = con.execute(
        f"SELECT count(*) FROM ier_truth AS t JOIN ({pairs_sql}) AS p "
        "USING (elector_id, person_id)"
    ).fetchall()[0][0]
    return evaluation


def text(evaluation: Evaluation) -> str:
    """Return the evaluation as lines for the terminal."""
    e = evaluation
    lines = [
        "Against the truth file: %s electors, %s with a record in the reference set."
        % (f"{e.electors:,}", f"{e.matchable:,}"),
        "  green precision %.4f, green recall %.4f (%s right of %s greens)"
        % (e.green_precision, e.green_recall, f"{e.right_greens:,}", f"{e.greens:,}"),
        "  blocking recall %.4f: true pairs that reached scoring (%s of %s); "
        "kept after scoring: %.4f"
        % (
            e.blocking_recall,
            f"{e.true_pairs_reached:,}",
            f"{e.matchable:,}",
            e.share(e.true_pairs_kept),
        ),
        "  %-26s %14s %10s %10s" % ("blocking rule", "pairs", "reaches", "so far"),
    ]
    lines += [
        "  %-26s %14s %10.4f %10.4f"
        % (
            rule.name,
            f"{rule.candidate_pairs:,}",
            e.share(rule.true_pairs_reached),
            e.share(rule.true_pairs_reached_so_far),
        )
        for rule in e.rules
    ]
    return "\n".join(lines) + "\n"
