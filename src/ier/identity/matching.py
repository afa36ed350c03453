"""The checks the identity service runs for one applicant, in the order the
government service runs them: find the National Insurance number; compare the
date of birth; then compare the names through a series of rules, best first.

The answer says how well each part matched, never what the record holds: the
caller learns no more than whether what the applicant typed agrees with it."""

import datetime
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from ier.identity.names import are_variants, name_key, name_words

# Rules in the order they are tried; the first that holds is the match level.
FIRST_NAME_LEVELS = ("exact", "variant", "initial", "middle_name", "fuzzy", "none")
LAST_NAME_LEVELS = ("exact", "part", "fuzzy", "none")
FUZZY_SIMILARITY = 0.92


@dataclass(frozen=True)
class Claim:
    """What the applicant typed."""

    nino: str
    date_of_birth: datetime.date | None
    first_name: str
    middle_names: str = ""
    last_name: str = ""
    previous_first_name: str = ""
    previous_middle_names: str = ""
    previous_last_name: str = ""


@dataclass(frozen=True)
class Record:
    nino: str
    date_of_birth: datetime.date
    first_name: str
    middle_names: str
    last_name: str
    previous_first_name: str = ""
    previous_last_name: str = ""


@dataclass(frozen=True)
class Name:
    first: str
    middle: str
    last: str


def nino_stem(nino: str) -> str:
    """The eight characters that identify a person; the suffix letter does not."""
    return "".join(nino.split()).upper()[:8]


def check(claim: Claim, record: Record | None) -> dict:
    if record is None:
        return {"nino": "not_found", "date_of_birth": "not_checked", "name": None}
    dob = date_of_birth_level(claim.date_of_birth, record.date_of_birth)
    if dob != "match":
        return {"nino": "found", "date_of_birth": dob, "name": None}
    return {
        "nino": "found",
        "date_of_birth": dob,
        "name": best_name_match(claim, record),
    }


def date_of_birth_level(typed: datetime.date | None, held: datetime.date) -> str:
    if typed is None:
        return "not_given"
    if typed == held:
        return "match"
    if typed.day != typed.month and typed.day <= 12:
        swapped = typed.replace(day=typed.month, month=typed.day)
        if swapped == held:
            return "day_month_swapped"
    return "mismatch"


def _similar(typed: str, held: str) -> tuple[bool, int]:
    a, b = name_key(typed), name_key(held)
    if not a or not b:
        return False, 0
    score = JaroWinkler.normalized_similarity(a, b)
    allowed_edits = 1 if max(len(a), len(b)) <= 7 else 2
    close = score >= FUZZY_SIMILARITY or (
        min(len(a), len(b)) >= 4 and DamerauLevenshtein.distance(a, b) <= allowed_edits
    )
    return close, round(score * 100)


def first_name_level(typed: str, held: Name) -> tuple[str, int]:
    typed_words, held_words = name_words(typed), name_words(held.first)
    if not typed_words or not held_words:
        return "none", 0
    if name_key(typed) == name_key(held.first) or typed_words[0] == held_words[0]:
        return "exact", 100
    if are_variants(typed_words[0], held_words[0]):
        return "variant", 100
    if len(typed_words[0]) == 1 and typed_words[0] == held_words[0][0]:
        return "initial", 0
    held_middles = name_words(held.middle)
    if held_middles and typed_words[0] == held_middles[0]:
        return "middle_name", 100
    close, score = _similar(typed_words[0], held_words[0])
    return ("fuzzy" if close else "none"), score


def last_name_level(typed: str, held: str) -> tuple[str, int]:
    typed_key, held_key = name_key(typed), name_key(held)
    if not typed_key or not held_key:
        return "none", 0
    if typed_key == held_key:
        return "exact", 100
    typed_words, held_words = set(name_words(typed)), set(name_words(held))
    if typed_words <= held_words or held_words <= typed_words:
        return "part", 100
    close, score = _similar(typed_key, held_key)
    return ("fuzzy" if close else "none"), score


def middle_names_level(typed: str, held: str) -> str:
    typed_words, held_words = name_words(typed), name_words(held)
    if typed_words == held_words:
        return "match"
    if not typed_words:
        return "missing"
    if not held_words:
        return "extra"
    if len(typed_words) == len(held_words) and all(
        t == h or (len(t) == 1 and h.startswith(t))
        for t, h in zip(typed_words, held_words, strict=True)
    ):
        return "initials"
    if set(typed_words) <= set(held_words):
        return "missing"
    if set(held_words) <= set(typed_words):
        return "extra"
    return "differ"


def _pairings(claim: Claim, record: Record) -> list[tuple[str, Name, Name]]:
    """Which typed name to compare with which held name: the current ones, the
    applicant's previous name with the record, and the applicant's name with a name
    the record held before."""
    typed = Name(claim.first_name, claim.middle_names, claim.last_name)
    held = Name(record.first_name, record.middle_names, record.last_name)
    pairs = [("current_name", typed, held)]
    if claim.previous_first_name or claim.previous_last_name:
        previous = Name(
            claim.previous_first_name or claim.first_name,
            claim.previous_middle_names or claim.middle_names,
            claim.previous_last_name or claim.last_name,
        )
        pairs.append(("applicant_previous_name", previous, held))
    if record.previous_first_name or record.previous_last_name:
        held_before = Name(
            record.previous_first_name or record.first_name,
            record.middle_names,
            record.previous_last_name or record.last_name,
        )
        pairs.append(("record_previous_name", typed, held_before))
    return pairs


def best_name_match(claim: Claim, record: Record) -> dict:
    candidates = []
    for pairing, typed, held in _pairings(claim, record):
        first, first_score = first_name_level(typed.first, held)
        last, last_score = last_name_level(typed.last, held.last)
        rank = FIRST_NAME_LEVELS.index(first), LAST_NAME_LEVELS.index(last)
        candidates.append(
            (
                (max(rank), sum(rank)),
                {
                    "first_name": first,
                    "first_name_score": first_score,
                    "last_name": last,
                    "last_name_score": last_score,
                    "middle_names": middle_names_level(typed.middle, held.middle),
                    "matched_on": pairing,
                },
            )
        )
    # Fewest steps down either list wins; `min` keeps the earlier pairing on a tie.
    return min(candidates, key=lambda candidate: candidate[0])[1]
