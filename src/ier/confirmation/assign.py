"""From scored pairs to one result per elector: green, amber or red.

A green must be right, so it needs more than a high probability:
- the pair is the elector's best candidate and the person's best candidate, so no
  person is confirmed for two electors and no elector gets two people;
- no other candidate of either comes close (within `margin` bits of match
  weight): two people with the same name at one address, and no date of birth to
  tell them apart, are for an officer to decide, not for us;
- the pair is sure enough: its probability is at least `green`, or, judged
  with its rivals as one pair of a one-to-one assignment (see `decide`), at
  least `one_to_one`;
- something tells the person from their relatives (`identifies_person`): the
  given names agree (at any level of the first-name comparison: exact, a
  nickname, a slip, an initial...), or the dates of birth do, or a given name
  is missing but nobody else of that surname lives at either address. The
  model takes surname and address as independent, but members of one household
  share both: an elector whose own record is missing from the reference set,
  or who has no given name, would otherwise be confirmed as the one relative
  found there. A missing given name is also enough once no other unconfirmed
  candidate of the elector or the person has the surname and the address
  (the relatives are spoken for, see the rounds below), and the dates of
  birth, if any, do not disagree;
- the margin counts look-alikes only: a rival whose given names disagree (and
  whose date of birth does not agree) is told apart by them.

Greens are found in rounds. Once a pair is green, its elector and its person are
spoken for, and they no longer count as rivals of anyone else: a father "John
David Smith" confirmed in the first round no longer stands in the way of his son
"John Smith" at the same address in the second. Each round uses only the pairs
whose elector and person are both still unconfirmed, and the same rule.

Amber is the best candidate of an elector that is likely but not sure (people
already confirmed for another elector come last); red means no candidate reached
the amber threshold, and `person_id` is left empty.
"""

# SQL here is assembled from our own constants, table names and quoted paths;
# values from the input files never become SQL text.
# ruff: noqa: S608

from dataclasses import dataclass

# Rounds of confirmation; each round after the first usually adds a few tenths of
# a percent of the electors, and almost nothing after the third.
ROUNDS = 4


@dataclass(frozen=True)
class Thresholds:
    """The decision rule. Probabilities are Splink's match_probability."""

    green: float = 0.9
    amber: float = 0.5
    margin: float = 3.0  # bits of match weight between the best and the next candidate
    # The same pair judged with its rivals and the one-to-one rule (see `decide`).
    one_to_one: float = 0.99


def _one_to_one_probability(unmatched: tuple[float, float]) -> str:
    """Return SQL for the probability of a pair given its rivals (see `decide`)."""
    unmatched_electors, unmatched_people = unmatched
    return f"""(odds / (odds
        + ({unmatched_electors:.17g} + elector_rivals)
        * ({unmatched_people:.17g} + person_rivals)))"""


def _greens_sql(
    candidates: str,
    thresholds: Thresholds,
    unmatched: tuple[float, float],
    with_dates_of_birth: bool = False,
) -> str:
    """Return a SELECT of the pairs of `candidates` that are green by the rule."""
    # A missing given name is no evidence, but dates of birth that disagree are.
    born = " AND p.mw_date_of_birth >= 0" if with_dates_of_birth else ""
    return f"""
        WITH open_pairs AS (SELECT * FROM {candidates}),
        judged AS (
            SELECT p.*, p.identifies_person OR coalesce(p.mw_first_name = 0{born}
                AND NOT EXISTS (SELECT 1 FROM open_pairs AS q
                    WHERE q.elector_id = p.elector_id AND q.person_id <> p.person_id
                        AND q.mw_surname > 0
                        AND q.mw_location > 0)
                AND NOT EXISTS (SELECT 1 FROM open_pairs AS q
                    WHERE q.person_id = p.person_id AND q.elector_id <> p.elector_id
                        AND q.mw_surname > 0
                        AND q.mw_location > 0), false) AS identified
            FROM open_pairs AS p
        ),
        ranked AS (
            SELECT elector_id, person_id, match_weight, match_probability,
                identified AS identifies_person, pow(2, match_weight) AS odds,
                row_number() OVER (PARTITION BY elector_id
                    ORDER BY match_weight DESC, person_id) AS elector_rank,
                row_number() OVER (PARTITION BY person_id
                    ORDER BY match_weight DESC, elector_id) AS person_rank,
                -- A candidate whose given name differs (and whose date of birth
                -- does not agree) is a relative or a stranger, told apart by
                -- the name: not a look-alike the margin is for.
                identified OR coalesce(mw_first_name = 0, true) AS look_alike
            FROM judged
        ),
        rivals AS (
            SELECT *,
                coalesce(sum(CASE WHEN elector_rank > 1 THEN odds END)
                    OVER (PARTITION BY elector_id), 0) AS elector_rivals,
                coalesce(sum(CASE WHEN person_rank > 1 THEN odds END)
                    OVER (PARTITION BY person_id), 0) AS person_rivals,
                max(CASE WHEN elector_rank > 1 AND look_alike THEN match_weight END)
                    OVER (PARTITION BY elector_id) AS elector_runner_up,
                max(CASE WHEN person_rank > 1 AND look_alike THEN match_weight END)
                    OVER (PARTITION BY person_id) AS person_runner_up
            FROM ranked
        )
        SELECT elector_id, person_id FROM rivals
        WHERE elector_rank = 1 AND person_rank = 1 AND identifies_person
            AND (match_probability >= {thresholds.green:.17g}
                OR {_one_to_one_probability(unmatched)}
                    >= {thresholds.one_to_one:.17g})
            AND coalesce(match_weight - elector_runner_up, 'infinity')
                >= {thresholds.margin:.17g}
            AND coalesce(match_weight - person_runner_up, 'infinity')
                >= {thresholds.margin:.17g}
    """


def decide(
    con,
    pairs_sql: str,
    thresholds: Thresholds,
    best_table: str,
    unmatched: tuple[float, float] = (1.0, 1.0),
) -> None:
    """Create `best_table`: each elector's best candidate (all the pair's columns)
    and its rating, for every elector with at least one candidate.

    `unmatched` is the share of electors, and of people, expected to have no
    match (`model.unmatched_shares`). With it a pair is also judged as one of a
    one-to-one assignment: the pair is wrong only if the elector is someone
    else or nobody, and the person likewise. With odds O = 2^match_weight for
    the pair, and R_e and R_p the summed odds of the elector's and the person's
    other candidates, the probability of the pair against those alternatives is
    O / (O + (u_e + R_e) (u_p + R_p)). Splink's own probability, O / (O + 1),
    leaves out both: a pair with no rival is then worth more than Splink says
    (the elector and the person would both have to be without a match), and a
    pair with strong rivals on both sides less. The default, (1, 1), never
    finds more than Splink's probability does.
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE ier_pairs AS {pairs_sql}")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ier_greens "
        "(elector_id VARCHAR, person_id VARCHAR)"
    )
    open_pairs = """(
        SELECT * FROM ier_pairs AS p
        WHERE NOT EXISTS (SELECT 1 FROM ier_greens g
                            WHERE g.elector_id = p.elector_id)
            AND NOT EXISTS (SELECT 1 FROM ier_greens g
                            WHERE g.person_id = p.person_id)
    )"""
    columns = [row[0] for row in con.execute("DESCRIBE ier_pairs").fetchall()]
    dates = "mw_date_of_birth" in columns
    # No pairs scored (an empty run): no comparisons' weights either. Missing,
    # they leave the household and margin rules as strict as they can be.
    for column in ("mw_first_name", "mw_surname", "mw_location"):
        if column not in columns:
            con.execute(f"ALTER TABLE ier_pairs ADD COLUMN {column} DOUBLE")
    for _ in range(ROUNDS):
        added = con.execute(
            "INSERT INTO ier_greens "
            + _greens_sql(open_pairs, thresholds, unmatched, dates)
        ).fetchall()[0][0]
        if not added:
            break
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {best_table} AS
        WITH marked AS (
            SELECT p.*, g.elector_id IS NOT NULL AS green,
                p.person_id IN (SELECT person_id FROM ier_greens) AS taken
            FROM ier_pairs AS p
            LEFT JOIN ier_greens AS g USING (elector_id, person_id)
        ),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY elector_id
                ORDER BY green DESC, taken, match_weight DESC, person_id) AS rank
            FROM marked
        )
        SELECT * EXCLUDE (green, taken, rank),
            CASE
                WHEN green THEN 'green'
                WHEN match_probability >= {thresholds.amber:.17g} THEN 'amber'
                ELSE 'red'
            END AS rag
        FROM ranked
        WHERE rank = 1
        """
    )
    con.execute("DROP TABLE ier_pairs")
    con.execute("DROP TABLE ier_greens")


def results_sql(register_sql: str, best_table: str) -> str:
    """Return a SELECT of one result row per elector, in the register's order."""
    return f"""
        SELECT
            r.unique_id AS elector_id,
            -- NULL, not '', so that the CSV field is empty rather than ""
            CASE WHEN b.rag IN ('green', 'amber') THEN b.person_id END AS person_id,
            round(coalesce(b.match_probability, 0), 6) AS match_probability,
            coalesce(b.rag, 'red') AS rag
        FROM ({register_sql}) AS r
        LEFT JOIN {best_table} AS b ON b.elector_id = r.unique_id
        ORDER BY r.row_number
    """
