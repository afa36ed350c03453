"""Choosing one person per elector from the scored pairs (`assign.decide`)."""

import duckdb
import pytest

from ier.confirmation import assign, model

# Weights in bits; with these the probabilities sit well above the green threshold.
STRONG, WEAKER = 20.0, 19.0


# Partial weights of the comparisons (bits), as a trained model gives them.
SAME_NAME, NO_NAME, OTHER_NAME = 8.5, 0.0, -7.7
SAME_SURNAME, SAME_ADDRESS, BORN_OTHER_DAY = 9.0, 12.7, -5.4


def pair(
    elector_id,
    person_id,
    match_weight,
    identifies_person=True,
    first_name=SAME_NAME,
    date_of_birth=None,
):
    probability = 2**match_weight / (1 + 2**match_weight)
    return (
        elector_id,
        person_id,
        match_weight,
        probability,
        identifies_person,
        first_name,
        SAME_SURNAME,
        SAME_ADDRESS,
        date_of_birth,
    )


def nameless(elector_id, person_id, match_weight, date_of_birth=None):
    """A pair in which one side has no given name, in a household where that
    surname is not alone at the address: it does not identify the person."""
    return pair(elector_id, person_id, match_weight, False, NO_NAME, date_of_birth)


def other_name(elector_id, person_id, match_weight):
    """A pair whose given names disagree: a relative, or a stranger."""
    return pair(elector_id, person_id, match_weight, False, OTHER_NAME)


# A tenth of each side expected to have no match (`model.unmatched_shares`).
ONE_IN_TEN_UNMATCHED = (0.1, 0.1)


def ratings(
    pairs, unmatched=(1.0, 1.0), dates=False, weights=True
) -> dict[str, tuple[str, str]]:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE pairs (elector_id VARCHAR, person_id VARCHAR, "
        "match_weight DOUBLE, match_probability DOUBLE, "
        "identifies_person BOOLEAN, mw_first_name DOUBLE, mw_surname DOUBLE, "
        "mw_location DOUBLE, mw_date_of_birth DOUBLE)"
    )
    con.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", pairs)
    if not dates:
        con.execute("ALTER TABLE pairs DROP COLUMN mw_date_of_birth")
    if not weights:
        # Pairs as an empty run gives them: no comparisons' weights.
        for column in ("mw_first_name", "mw_surname", "mw_location"):
            con.execute(f"ALTER TABLE pairs DROP COLUMN {column}")
    assign.decide(con, "SELECT * FROM pairs", assign.Thresholds(), "best", unmatched)
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


def test_a_pair_without_rivals_is_green_below_the_green_threshold():
    """Even odds on its own (probability 2/3), but nobody else is a candidate of
    either: for the pair to be wrong, both would have to be without a match,
    which one-to-one makes a hundred times less likely than the pair."""
    alone = [pair("E1", "P1", 1.0)]
    assert ratings(alone, ONE_IN_TEN_UNMATCHED) == {"E1": ("P1", "green")}
    assert ratings(alone) == {"E1": ("P1", "amber")}


def test_rivals_on_both_sides_count_against_a_pair_below_the_green_threshold():
    """The same pair with a weaker rival on each side, each more than the margin
    below it: the elector may be that other person, and the person that other
    elector, so the pair is not sure enough."""
    result = ratings(
        [pair("E1", "P1", 1.0), pair("E1", "P2", -3.0), pair("E2", "P1", -3.0)],
        ONE_IN_TEN_UNMATCHED,
    )
    assert result["E1"] == ("P1", "amber")


def test_a_pair_above_the_green_threshold_is_green_whatever_its_rivals():
    result = ratings(
        [pair("E1", "P1", STRONG), pair("E1", "P2", 16.0), pair("E2", "P1", 16.0)],
        ONE_IN_TEN_UNMATCHED,
    )
    assert result["E1"] == ("P1", "green")


def test_a_pair_without_rivals_still_needs_to_tell_the_person_apart():
    result = ratings(
        [pair("E1", "P1", 1.0, identifies_person=False)], ONE_IN_TEN_UNMATCHED
    )
    assert result["E1"] == ("P1", "amber")


def test_the_unmatched_shares_follow_the_sizes_of_the_files():
    """Nine in ten of the smaller file are expected to have a match."""
    electors, people = model.unmatched_shares(1_000, 10_000)
    assert electors == pytest.approx(0.1)
    assert people == pytest.approx(0.91)


def test_pairs_without_the_comparisons_weights_are_decided_as_before():
    """An empty run's pairs carry no comparison weights: the rule still runs."""
    result = ratings(
        [pair("E1", "P1", STRONG), pair("E2", "P2", STRONG, False)], weights=False
    )
    assert result == {"E1": ("P1", "green"), "E2": ("P2", "amber")}


def household(nameless_weight=STRONG, date_of_birth=None):
    """John Smith on both sides; on the register also a Smith with no given
    name, and in the reference set Mary Smith, all at one address."""
    return [
        pair("E-john", "P-john", STRONG + 8),
        other_name("E-john", "P-mary", STRONG - 10),
        nameless("E-nameless", "P-john", nameless_weight, date_of_birth),
        nameless("E-nameless", "P-mary", nameless_weight, date_of_birth),
    ]


def test_a_nameless_elector_is_green_once_the_relatives_are_spoken_for():
    """John is confirmed first; then the Smith with no given name and Mary are
    the only ones of that household left on each side."""
    assert ratings(household()) == {
        "E-john": ("P-john", "green"),
        "E-nameless": ("P-mary", "green"),
    }


def test_a_nameless_elector_stays_amber_beside_an_unconfirmed_relative():
    """Imogen Smith, on the register only, might be the one the reference set
    knows: while she is not confirmed, the Smith with no given name cannot be
    told from her."""
    pairs = [*household(), other_name("E-imogen", "P-mary", STRONG - 10)]
    result = ratings(pairs)
    assert result["E-nameless"] == ("P-mary", "amber")


def test_a_nameless_elector_whose_date_of_birth_disagrees_stays_amber():
    pairs = household(STRONG - 5, BORN_OTHER_DAY)
    pairs = [(*row[:8], 10.0 if row[0] == "E-john" else row[8]) for row in pairs]
    result = ratings(pairs, dates=True)
    assert result["E-john"] == ("P-john", "green")
    assert result["E-nameless"] == ("P-mary", "amber")


def test_a_rival_with_another_given_name_is_no_look_alike():
    """Mary Smith (register only) scores almost as high against John's record
    as John himself, a surname changed at the same address say: but the given
    names tell them apart, so the margin, which is for look-alikes, does not
    stop John's green."""
    result = ratings(
        [pair("E-john", "P-john", STRONG), other_name("E-mary", "P-john", WEAKER)]
    )
    assert result["E-john"] == ("P-john", "green")
    assert result["E-mary"] == ("P-john", "amber")
