"""Choosing one person per elector from the scored pairs (`assign.decide`)."""

import duckdb

from ier.confirmation import assign

# Weights in bits; with these the probabilities sit well above the green threshold.
STRONG, WEAKER = 20.0, 19.0


def pair(elector_id, person_id, match_weight, identifies_person=True):
    probability = 2**match_weight / (1 + 2**match_weight)
    return (elector_id, person_id, match_weight, probability, identifies_person)


def ratings(pairs) -> dict[str, tuple[str, str]]:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE pairs (elector_id VARCHAR, person_id VARCHAR, "
        "match_weight DOUBLE, match_probability DOUBLE, "
        "identifies_person BOOLEAN)"
    )
    con.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?)", pairs)
    assign.decide(con, "SELECT * FROM pairs", assign.Thresholds(), "best")
    rows = con.execute("SELECT elector_id, person_id, rag FROM best").fetchall()
    return {elector: (person, rag) for elector, person, rag in rows}


def test_a_clear_best_candidate_is_green():
    result = ratings([pair("E1", "P1", STRONG), pair("E1", "P2", 2.0)])
    assert result == {"E1": ("P1", "green")}


def test_two_candidates_within_the_margin_are_amber():
    result = ratings([pair("E1", "P1", STRONG), pair("E1", "P2", WEAKER)])
    assert result["E1"][1] == "amber"


def test_a_confirmed_person_no_longer_stands_in_anothers_way():
    """Father "Paul David Austin" and son "Paul Austin" at one address: the
    middle name confirms the father first; then the son has one candidate left."""
    result = ratings(
        [
            pair("E-father", "P-father", STRONG + 8),
            pair("E-father", "P-son", STRONG),
            pair("E-son", "P-father", STRONG),
            pair("E-son", "P-son", STRONG),
        ]
    )
    assert result == {
        "E-father": ("P-father", "green"),
        "E-son": ("P-son", "green"),
    }


def test_look_alikes_that_nothing_tells_apart_stay_amber():
    """Two identical records on each side: no round can tell who is who."""
    result = ratings(
        [
            pair("E1", "P1", STRONG),
            pair("E1", "P2", STRONG),
            pair("E2", "P1", STRONG),
            pair("E2", "P2", STRONG),
        ]
    )
    assert {rag for _, rag in result.values()} == {"amber"}


def test_nobody_is_green_for_two_electors():
    result = ratings([pair("E1", "P1", STRONG), pair("E2", "P1", 5.0)])
    assert result["E1"] == ("P1", "green")
    assert result["E2"][1] != "green"


def test_a_pair_that_does_not_identify_the_person_is_never_green():
    """Another member of the household (same surname, same address) whose own
    record is missing from the reference set: the weight may be high, but the
    given names disagree and there is no date of birth to say it is them."""
    result = ratings([pair("E1", "P1", STRONG, identifies_person=False)])
    assert result == {"E1": ("P1", "amber")}
