"""The Splink model: comparisons, blocking rules and unsupervised training.

The same settings run on DuckDB and on Spark: every comparison level is either a
Splink library level or plain SQL that Splink translates between dialects.
Comparisons that need a column only one side has (no dates of birth on the
register, say) are left out, rather than trained on nothing.
"""

import copy
import logging
import math
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level import M_U_CLAMP_MIN
from splink.internals.exceptions import EMTrainingException

logger = logging.getLogger(__name__)

# A comparison is used when at least this share of each side has the column.
MIN_COLUMN_COVERAGE = 0.01
EM_MAX_PAIRS = 2e5
U_MAX_PAIRS = 2e6
# Share of the smaller file expected to have a match in the other: the prior.
EXPECTED_COVERAGE = 0.9
TRAINING_SEED = 2014


def _names_swapped():
    # In both name comparisons: a swap is two names that agree, just in the wrong
    # fields, and counting it in one comparison only would leave the other as a
    # disagreement. After the exact level, the same two names (in alphabetical
    # order) mean they are swapped. `name_set` is a copy of `name_pair`: the
    # training session that blocks on `name_pair` must still train this level.
    return cll.CustomLevel(
        "name_set_l = name_set_r", label_for_charts="First name and surname swapped"
    )


def _names_swapped_and_mistyped():
    # After every level that compares the field with itself: the names begin
    # alike, but only the other way round.
    return cll.CustomLevel(
        "name_beginnings_l = name_beginnings_r",
        label_for_charts="Swapped, beginnings alike",
    )


def _names_swapped_with_a_slip():
    # After every level that compares the field with itself: the two names, in
    # alphabetical order, are at most two keying slips apart, but neither agrees
    # with its own counterpart. A swap and a slip in one record (the beginnings
    # level misses a slip in the first three letters).
    # Not the same names in their own order a slip or two apart: "al smith" and
    # "ed smith" are as close, but not swapped. (Columns of their own, so that
    # training sessions blocking on a name still train both comparisons.)
    return cll.And(
        cll.DamerauLevenshteinLevel("name_set", 2),
        cll.Not(cll.DamerauLevenshteinLevel("names_in_order", 2)),
    ).configure(label_for_charts="Swapped, one or two slips")


def first_name_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name", term_frequency_adjustments=True),
            _names_swapped(),
            cll.ArrayIntersectLevel("first_name_groups", min_intersection=1).configure(
                label_for_charts="Known nickname"
            ),
            cll.JaroWinklerLevel("first_name", 0.9),
            cll.DamerauLevenshteinLevel("first_name", 1).configure(
                label_for_charts="One keying slip"
            ),
            cll.JaroWinklerLevel("first_name", 0.8),
            cll.JaroWinklerLevel("first_name", 0.7),
            cll.CustomLevel(
                "(length(first_name_l) = 1 OR length(first_name_r) = 1) "
                "AND substr(first_name_l, 1, 1) = substr(first_name_r, 1, 1)",
                label_for_charts="Initial matches name",
            ),
            # Both ways round is strong evidence; one way round is weak, since a
            # first name often happens to be someone else's middle name.
            cll.ColumnsReversedLevel(
                "first_name", "middle_first_name", symmetrical=True
            ).configure(label_for_charts="First and middle names swapped"),
            # A column of its own, so that EM blocking on middle names (training
            # rule 3) still trains this comparison.
            cll.Or(
                cll.ColumnsReversedLevel("first_name", "middle_first_name"),
                cll.ColumnsReversedLevel("middle_first_name", "first_name"),
            ).configure(label_for_charts="Known by a middle name"),
            _names_swapped_with_a_slip(),
            _names_swapped_and_mistyped(),
            cll.ElseLevel(),
        ],
    )


def middle_names_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="middle_names",
        comparison_levels=[
            cll.NullLevel("middle_names"),
            cll.ExactMatchLevel("middle_names"),
            cll.CustomLevel(
                "substr(middle_names_l, 1, 1) = substr(middle_names_r, 1, 1)",
                label_for_charts="Same first initial",
            ),
            cll.ElseLevel(),
        ],
    )


def surname_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_levels=[
            cll.NullLevel("surname"),
            cll.ExactMatchLevel("surname", term_frequency_adjustments=True),
            _names_swapped(),
            cll.JaroWinklerLevel("surname", 0.92),
            # Jaro-Winkler forgives little in a short name: "soms" for "sims".
            cll.DamerauLevenshteinLevel("surname", 1).configure(
                label_for_charts="One keying slip"
            ),
            cll.JaroWinklerLevel("surname", 0.8),
            cll.JaroWinklerLevel("surname", 0.7),
            cll.ArrayIntersectLevel("surname_tokens", min_intersection=1).configure(
                label_for_charts="Shares a part of a double surname"
            ),
            _names_swapped_with_a_slip(),
            _names_swapped_and_mistyped(),
            cll.ElseLevel(),
        ],
    )


def date_of_birth_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("date_of_birth"),
            cll.ExactMatchLevel("date_of_birth"),
            cll.CustomLevel(
                "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) "
                "AND substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2) "
                "AND substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)",
                label_for_charts="Day and month swapped",
            ),
            cll.DamerauLevenshteinLevel("date_of_birth", 1).configure(
                label_for_charts="One keying slip"
            ),
            cll.ElseLevel(),
        ],
    )


def _postcode_slip():
    # One digit keyed wrong, or two digits transposed: the letters agree. A
    # British postcode one letter away is a neighbouring one, not a slip.
    return cll.And(
        cll.DamerauLevenshteinLevel("postcode", 1),
        cll.ExactMatchLevel("postcode_letters"),
    )


def _street_alike():
    return cll.JaroWinklerLevel("address_words", 0.88)


def _street_somewhat_alike():
    # Two slips in a short street name, or three in a long one.
    return cll.JaroWinklerLevel("address_words", 0.8)


def _same_postcode():
    return cll.ExactMatchLevel("postcode")


def location_comparison() -> cl.CustomComparison:
    """Postcode and address as one comparison.

    Moving house changes both at once. Compared separately, a move would count
    twice against a match, since the model takes comparisons as independent.
    """
    return cl.CustomComparison(
        output_column_name="location",
        comparison_levels=[
            cll.And(cll.NullLevel("postcode"), cll.NullLevel("address_key")),
            cll.And(_same_postcode(), cll.ExactMatchLevel("address_key")).configure(
                label_for_charts="Same postcode, same address"
            ),
            # Not split further by the words: a different word with the same
            # postcode and numbers is too rare among non-matches to estimate.
            cll.And(_same_postcode(), cll.ExactMatchLevel("address_numbers")).configure(
                label_for_charts="Same postcode and numbers"
            ),
            cll.And(
                _same_postcode(), cll.ArrayIntersectLevel("address_number_tokens", 1)
            ).configure(label_for_charts="Same postcode, a number in common"),
            _same_postcode().configure(label_for_charts="Same postcode, other numbers"),
            # A wrong postcode on one side, or one record's postcode mistyped,
            # with the address itself alike.
            cll.And(
                cll.ExactMatchLevel("postcode_district"),
                cll.ExactMatchLevel("address_key"),
            ).configure(label_for_charts="Other postcode, same district and address"),
            cll.And(
                cll.ExactMatchLevel("postcode_district"),
                cll.ExactMatchLevel("address_numbers"),
                cll.ArrayIntersectLevel("address_word_tokens", 1),
            ).configure(
                label_for_charts="Other postcode, same district, numbers and a word"
            ),
            # The town stands in for the district where the postcode is not a
            # British one (and so has no district), or is mistyped.
            # A postcode with one digit slipped or two transposed, the house
            # numbers agreeing and the street alike (it may be mistyped too).
            # A street missing on one side is no evidence either way.
            cll.And(
                _postcode_slip(),
                cll.ExactMatchLevel("address_numbers"),
                cll.Or(_street_alike(), cll.NullLevel("address_words")),
            ).configure(
                label_for_charts="Postcode one slip, same numbers, street alike"
            ),
            cll.And(
                cll.ExactMatchLevel("town"), cll.ExactMatchLevel("address_key")
            ).configure(label_for_charts="Other postcode, same town and address"),
            # The street alike before a word in common: a common word ("street",
            # "road") is shared by streets that are not alike at all.
            cll.And(
                cll.ExactMatchLevel("town"),
                cll.ExactMatchLevel("address_numbers"),
                _street_alike(),
            ).configure(
                label_for_charts="Other postcode, same town and numbers, street alike"
            ),
            cll.And(
                cll.ExactMatchLevel("town"),
                cll.ExactMatchLevel("address_numbers"),
                cll.ArrayIntersectLevel("address_word_tokens", 1),
            ).configure(
                label_for_charts="Other postcode, same town, numbers and a word"
            ),
            cll.And(cll.ExactMatchLevel("address_numbers"), _street_alike()).configure(
                label_for_charts="Other postcode and town, same numbers, street alike"
            ),
            cll.And(
                cll.ExactMatchLevel("address_numbers"),
                cll.ArrayIntersectLevel("address_word_tokens", 1),
            ).configure(label_for_charts="Other postcode, same numbers and a word"),
            # Postcode and house number both slipped, the street alike.
            cll.And(_postcode_slip(), _street_alike()).configure(
                label_for_charts="Postcode one slip, street alike"
            ),
            # The postcode missing or keyed wrong beyond a slip, and the house
            # number slipped: the town and the street still agree.
            cll.And(cll.ExactMatchLevel("town"), _street_alike()).configure(
                label_for_charts="Other postcode, same town, street alike"
            ),
            # Two parts of the address damaged at once: the postcode keyed wrong
            # beyond a slip (or missing) and the town too, or the house number
            # wrong and the street mistyped more than once. Part of the address
            # still agrees; without these levels such a pair fell to "else",
            # as far from a match as a stranger at another address. After the
            # levels above, so that each keeps the pairs it had.
            cll.And(_postcode_slip(), _street_somewhat_alike()).configure(
                label_for_charts="Postcode one slip, street somewhat alike"
            ),
            cll.And(cll.ExactMatchLevel("town"), _street_somewhat_alike()).configure(
                label_for_charts="Other postcode, same town, street somewhat alike"
            ),
            cll.And(_postcode_slip(), cll.ExactMatchLevel("town")).configure(
                label_for_charts="Postcode one slip, same town"
            ),
            cll.And(
                cll.ExactMatchLevel("town"),
                cll.ExactMatchLevel("address_numbers"),
                cll.NullLevel("address_words"),
            ).configure(
                label_for_charts="Other postcode, same town and numbers, no street"
            ),
            cll.ExactMatchLevel("postcode_sector").configure(
                label_for_charts="Same postcode sector"
            ),
            cll.ExactMatchLevel("postcode_district").configure(
                label_for_charts="Same postcode district"
            ),
            # Only one part of the address left alike: weak evidence, but not
            # the evidence against a match that "else" is.
            _postcode_slip().configure(label_for_charts="Postcode one slip"),
            _street_alike().configure(label_for_charts="Street alike"),
            cll.ElseLevel(),
        ],
    )


@dataclass(frozen=True)
class BlockingKey:
    """One blocking rule: pairs whose `expression` (SQL over the normalised
    columns, NULL when a part is missing) is equal on both sides are scored.

    A value shared by more than `max_pairs` electors x people pairs is left out
    (the key is NULL for those records): a name like "john smith" on its own, or a
    placeholder postcode, would otherwise put the square of its count into
    scoring, and a candidate among that many look-alikes could never be green
    on this evidence alone. Other rules still reach such pairs when they share
    something rarer.
    """

    name: str
    expression: str
    max_pairs: int | None = None
    needs_date_of_birth: bool = False

    @property
    def column(self) -> str:
        return f"block_{self.name}"


def key_sql(*parts: str) -> str:
    # NULL when any part is: concat_ws would silently skip it.
    nulls = " OR ".join(f"({part}) IS NULL" for part in parts)
    joined = " || '|' || ".join(f"({part})" for part in parts)
    return f"CASE WHEN {nulls} THEN NULL ELSE {joined} END"


FIRST_INITIAL = "substr(first_name, 1, 1)"
# Both initials in alphabetical order: the same when the names are swapped.
INITIALS = (
    "least(substr(first_name, 1, 1), substr(surname, 1, 1)) || "
    "greatest(substr(first_name, 1, 1), substr(surname, 1, 1))"
)
# The beginning of the street: a slip further on, or an abbreviation the
# spelling table does not know, leaves it as it was.
STREET_BEGINNING = "substr(address_words, 1, 4)"
# Capped rules: at most this many pairs for one value of the key.
LOOSE_MAX_PAIRS = 100
# Even a key with a postcode in it: a placeholder ("NFA", "UNKNOWN") must not
# put thousands of electors against thousands of people.
TIGHT_MAX_PAIRS = 2_500

BLOCKING_KEYS = (
    BlockingKey(
        "postcode_initial", key_sql("postcode", FIRST_INITIAL), TIGHT_MAX_PAIRS
    ),
    BlockingKey("postcode_surname", key_sql("postcode", "surname"), TIGHT_MAX_PAIRS),
    BlockingKey(
        "postcode_numbers", key_sql("postcode", "address_numbers"), TIGHT_MAX_PAIRS
    ),
    BlockingKey(
        "district_surname_initial",
        key_sql("postcode_district", "surname", FIRST_INITIAL),
        TIGHT_MAX_PAIRS,
    ),
    BlockingKey(
        "postcode_street", key_sql("postcode", "address_words"), LOOSE_MAX_PAIRS
    ),
    BlockingKey(
        "full_name", key_sql("first_name", "surname", "middle_names"), TIGHT_MAX_PAIRS
    ),
    # First name and surname in alphabetical order: also finds them swapped.
    BlockingKey("names", "name_pair", LOOSE_MAX_PAIRS),
    # The first three letters of each name, in either order: moved, with a slip
    # past the beginning of a name.
    BlockingKey("name_beginnings", "name_beginnings", LOOSE_MAX_PAIRS),
    BlockingKey(
        "surname_numbers", key_sql("surname", "address_numbers"), LOOSE_MAX_PAIRS
    ),
    BlockingKey(
        "first_numbers", key_sql("first_name", "address_numbers"), LOOSE_MAX_PAIRS
    ),
    BlockingKey(
        "street_numbers", key_sql("address_words", "address_numbers"), LOOSE_MAX_PAIRS
    ),
    BlockingKey("surname_street", key_sql("surname", "address_words"), LOOSE_MAX_PAIRS),
    # Slips in the postcode, the house number and both names at once.
    BlockingKey(
        "street_initials", key_sql(STREET_BEGINNING, INITIALS), LOOSE_MAX_PAIRS
    ),
    BlockingKey(
        "first_street", key_sql("first_name", "address_words"), LOOSE_MAX_PAIRS
    ),
    BlockingKey("town_surname", key_sql("town", "surname"), LOOSE_MAX_PAIRS),
    BlockingKey("town_first", key_sql("town", "first_name"), LOOSE_MAX_PAIRS),
    BlockingKey("town_numbers", key_sql("town", "address_numbers"), LOOSE_MAX_PAIRS),
    # The town and the beginning of the street: slips in the postcode, the
    # house number and the names at once.
    BlockingKey("town_street", key_sql("town", STREET_BEGINNING), LOOSE_MAX_PAIRS),
    BlockingKey(
        "born_surname", key_sql("date_of_birth", "surname"), TIGHT_MAX_PAIRS, True
    ),
    BlockingKey(
        "born_first", key_sql("date_of_birth", "first_name"), TIGHT_MAX_PAIRS, True
    ),
    BlockingKey(
        "born_postcode", key_sql("date_of_birth", "postcode"), TIGHT_MAX_PAIRS, True
    ),
    BlockingKey(
        "born_numbers",
        key_sql("date_of_birth", "address_numbers"),
        LOOSE_MAX_PAIRS,
        True,
    ),
    BlockingKey("born_town", key_sql("date_of_birth", "town"), LOOSE_MAX_PAIRS, True),
)


def blocking_keys(with_dates_of_birth: bool) -> list[BlockingKey]:
    """Return the blocking rules that apply to files with (or without) dates of
    birth, in the order Splink applies them."""
    return [
        key
        for key in BLOCKING_KEYS
        if with_dates_of_birth or not key.needs_date_of_birth
    ]


def prediction_blocking_rules(with_dates_of_birth: bool) -> list:
    """Return the rules that choose which pairs are scored: one equi-join on each
    key column, so the work grows with the data, not its square."""
    return [block_on(key.column) for key in blocking_keys(with_dates_of_birth)]


def settings(
    with_dates_of_birth: bool, with_middle_names: bool, electors: int, people: int
) -> SettingsCreator:
    """Return the model's settings for files of these sizes that have (or lack)
    the optional columns."""
    comparisons: list[ComparisonCreator | dict[str, Any]] = [
        first_name_comparison(),
        surname_comparison(),
    ]
    if with_middle_names:
        comparisons.append(middle_names_comparison())
    if with_dates_of_birth:
        comparisons.append(date_of_birth_comparison())
    comparisons.append(location_comparison())
    return SettingsCreator(
        link_type="link_only",
        probability_two_random_records_match=prior_match_probability(electors, people),
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=prediction_blocking_rules(
            with_dates_of_birth
        ),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["alone_at_address"],
    )


def training_blocking_rules(with_dates_of_birth: bool) -> list:
    """Return the blocking rules of the expectation maximisation sessions.

    Each session learns the m probabilities of the comparisons its rule does not
    use. No rule blocks on the address alone: pairs at one address are mostly
    members of one household, and EM would learn to recognise households rather
    than people (a different first name would then cost almost nothing).
    """
    rules = [block_on("postcode", "first_name")]
    if with_dates_of_birth:
        rules.append(block_on("date_of_birth", "surname"))
    else:
        rules.append(block_on("first_name", "surname"))
    # Middle names alike, or the same given names in another order: without
    # the second, EM would never see first and middle names swapped. The set of
    # given names is a column of its own, so this session still trains the
    # first-name comparison.
    rules.append(
        CustomRule(
            "l.postcode = r.postcode AND l.surname = r.surname AND "
            "(l.middle_names = r.middle_names "
            "OR l.given_names_sorted = r.given_names_sorted)"
        )
    )
    # The two names in either order (a column of its own again, so the name
    # comparisons are trained): the one session in which EM sees names swapped.
    rules.append(CustomRule("l.postcode = r.postcode AND l.name_pair = r.name_pair"))
    return rules


def prior_match_probability(electors: int, people: int) -> float:
    """Return the probability that a random (elector, person) pair is a match.

    Each elector is at most one person, so if a share EXPECTED_COVERAGE of the
    smaller side has a match, that many of the electors x people pairs match.
    """
    return EXPECTED_COVERAGE * min(electors, people) / (electors * people)


def unmatched_shares(electors: int, people: int) -> tuple[float, float]:
    """Return the expected shares of electors and of people with no match."""
    matched = EXPECTED_COVERAGE * min(electors, people)
    return 1 - matched / electors, 1 - matched / people


def _observed_u(level) -> float | None:
    value = level._u_probability
    return value if isinstance(value, float) else None


def _fill_unobserved_u(linker: Linker) -> None:
    """Give a level never seen among the random pairs (too rare for the sample,
    e.g. two strangers at one address in a big file) the u of the next broader
    level that was seen.

    That overstates how often strangers agree so closely, so the level's weight
    errs low: left unset, Splink would give it no weight at all.

    The last level ("else") is never taken: the strangers who disagree are not
    a broader kind of any level, and their u, near 1, gave a level it was
    copied to a weight of -35 bits (the town and the street alike after a
    wrong postcode, where postcodes have no sector or district to fall back
    on). A level with no broader level seen gets one in U_MAX_PAIRS: not seen
    among that many random pairs, it is at most about that common.
    """
    for comparison in linker._settings_obj.comparisons:
        levels = [lv for lv in comparison.comparison_levels if not lv.is_null_level]
        for index, level in enumerate(levels[:-1]):
            if _observed_u(level) is not None:
                continue
            broader = [_observed_u(lv) for lv in levels[index + 1 : -1]]
            fallback = next((u for u in broader if u is not None), None)
            level.u_probability = fallback if fallback is not None else 1 / U_MAX_PAIRS


def train(linker: Linker, with_dates_of_birth: bool) -> None:
    """Estimate the model's parameters without labelled data.

    The prior is set from the sizes of the files (`settings`); u probabilities
    come from random pairs (almost all non-matches); m probabilities from
    expectation maximisation on pairs that agree on a strong combination of fields.
    """
    training = linker.training
    training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=TRAINING_SEED)
    _fill_unobserved_u(linker)
    for rule in training_blocking_rules(with_dates_of_birth):
        # A failed session can leave the model half-edited (Splink sets aside the
        # comparisons the rule uses), so it is put back as it was.
        before = copy.deepcopy(linker._settings_obj.core_model_settings)
        try:
            training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=EM_MAX_PAIRS
            )
        except EMTrainingException:
            # Too few records agree on this rule to learn from (a tiny file): the
            # comparisons it would train keep Splink's starting values.
            linker._settings_obj.core_model_settings = before
            logger.warning(
                "No pairs to train on for one rule; files this small give a weak model"
            )


def else_level_weight(trained: dict, comparison_name: str) -> float:
    """Return the match weight Splink gives the last level of a trained
    comparison (its values disagree), clamped as Splink clamps it."""
    comparison = next(
        c for c in trained["comparisons"] if c["output_column_name"] == comparison_name
    )
    level = comparison["comparison_levels"][-1]
    m = max(level.get("m_probability") or 0.0, M_U_CLAMP_MIN)
    u = max(level.get("u_probability") or 0.0, M_U_CLAMP_MIN)
    return math.log2(m / u)


def for_dialect(trained: dict, settings_creator: SettingsCreator, dialect: str) -> dict:
    """Return the trained model as a settings dict written in `dialect`'s SQL.

    A saved model holds SQL in the dialect it was trained in. To score on another
    engine the same comparisons are rendered again for that engine and given the
    trained parameters, level by level.
    """
    rendered = settings_creator.create_settings_dict(dialect)
    rendered["probability_two_random_records_match"] = trained[
        "probability_two_random_records_match"
    ]
    for target, source in zip(
        rendered["comparisons"], trained["comparisons"], strict=True
    ):
        for level, trained_level in zip(
            target["comparison_levels"], source["comparison_levels"], strict=True
        ):
            for parameter in ("m_probability", "u_probability"):
                if trained_level.get(parameter) is not None:
                    level[parameter] = trained_level[parameter]
    return rendered
