"""From scored pairs to one result per elector: green, amber or red.

A green must be right, so it needs more than a high probability:
- the pair is the elector's best candidate and the person's best candidate, so no
  person is confirmed for two electors and no elector gets two people;
- no other candidate of either comes close (within `margin` bits of match
  weight): two people with the same name at one address, and no date of birth to
  tell them apart, are for an officer to decide, not for us.
Amber is the best candidate of an elector that is likely but not sure; red means no
candidate reached the amber threshold, and `person_id` is left empty.
"""

# SQL here is assembled from our own constants, table names and quoted paths;
# values from the input files never become SQL text.
# ruff: noqa: S608

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """The decision rule. Probabilities are Splink's match_probability."""

    green: float = 0.9
    amber: float = 0.5
    margin: float = 3.0  # bits of match weight between the best and the next candidate


def best_candidates_sql(pairs_sql: str, thresholds: Thresholds) -> str:
    """Return a SELECT of each elector's best candidate and its RAG rating."""
    return f"""
        WITH ranked AS (
            SELECT *,
                row_number() OVER (PARTITION BY elector_id
                    ORDER BY match_weight DESC, person_id) AS elector_rank,
                row_number() OVER (PARTITION BY person_id
                    ORDER BY match_weight DESC, elector_id) AS person_rank,
                nth_value(match_weight, 2) OVER (PARTITION BY elector_id
                    ORDER BY match_weight DESC, person_id ROWS BETWEEN UNBOUNDED
                    PRECEDING AND UNBOUNDED FOLLOWING) AS elector_runner_up,
                nth_value(match_weight, 2) OVER (PARTITION BY person_id
                    ORDER BY match_weight DESC, elector_id ROWS BETWEEN UNBOUNDED
                    PRECEDING AND UNBOUNDED FOLLOWING) AS person_runner_up
            FROM ({pairs_sql})
        )
        SELECT *,
            CASE
                WHEN match_probability >= {thresholds.green:.17g}
                    AND person_rank = 1
                    AND coalesce(match_weight - elector_runner_up, 'infinity')
                        >= {thresholds.margin:.17g}
                    AND coalesce(match_weight - person_runner_up, 'infinity')
                        >= {thresholds.margin:.17g}
                    THEN 'green'
                WHEN match_probability >= {thresholds.amber:.17g} THEN 'amber'
                ELSE 'red'
            END AS rag
        FROM ranked
        WHERE elector_rank = 1
    """


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
