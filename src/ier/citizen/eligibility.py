"""Who may register, read from the rule tables in `rules/` (each row names its law).

The service collects and routes; the electoral registration officer decides. These
rules only keep people from filling in a form that cannot succeed, and explain why."""

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent / "rules"
GB_NATIONS = ("England", "Scotland", "Wales")


def _read(name: str) -> list[dict[str, str]]:
    with (RULES_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _in_force(row: dict[str, str], on: date) -> bool:
    starts = (
        date.fromisoformat(row["effective_from"]) if row["effective_from"] else date.min
    )
    ends = (
        date.fromisoformat(row["effective_to"]) if row.get("effective_to") else date.max
    )
    return starts <= on <= ends


# Ages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeRule:
    nation: str
    register: str
    voting_age: int
    legal_basis: str
    source_url: str


@cache
def _age_rows() -> tuple[dict[str, str], ...]:
    return tuple(_read("registration_ages.csv"))


def age_rules(nation: str, on: date) -> list[AgeRule]:
    return list(_age_rules(nation, on))


#: The rules in force in a nation on a day are the same all day, and the journey
#: asks for them several times a page (each step's conditions and exits): the
#: answers are remembered. They hold rows of the tables shipped with the code,
#: keyed by a nation, a day and nationality classes, nothing about a person; a
#: bound keeps a long-running process from growing with the days.
RULES_REMEMBERED = 1024


@lru_cache(maxsize=RULES_REMEMBERED)
def _age_rules(nation: str, on: date) -> tuple[AgeRule, ...]:
    return tuple(
        AgeRule(
            r["nation"],
            r["register"],
            int(r["voting_age"]),
            r["legal_basis"],
            r["source_url"],
        )
        for r in _age_rows()
        if r["nation"] == nation and _in_force(r, on)
    )


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def attainer_window_end(on: date) -> date:
    """The last day of the 12 months that begin with the 1 December next following
    `on` (Representation of the People Act 1983 s.4(5))."""
    next_december = on.year if (on.month, on.day) < (12, 1) else on.year + 1
    return date(next_december + 1, 11, 30)


def may_register_by_age(date_of_birth: date, nation: str, on: date) -> bool:
    end = attainer_window_end(on)
    return any(
        add_years(date_of_birth, r.voting_age) <= end for r in age_rules(nation, on)
    )


def earliest_registration_date(date_of_birth: date, nation: str, on: date) -> date:
    """The first day on which this person can be registered in `nation`."""
    youngest_voting_age = min(r.voting_age for r in age_rules(nation, on))
    birthday = add_years(date_of_birth, youngest_voting_age)
    window_year = (
        birthday.year
        if (birthday.month, birthday.day) <= (11, 30)
        else birthday.year + 1
    )
    return max(on, date(window_year - 2, 12, 1))


def minimum_registration_age(nation: str, on: date) -> int:
    """For wording only: the youngest age at which someone can register."""
    return min(r.voting_age for r in age_rules(nation, on)) - 2


def age_on(date_of_birth: date, on: date) -> int:
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


@cache
def _under_16_rows() -> tuple[dict[str, str], ...]:
    return tuple(_read("under_16.csv"))


def questions_skipped_for_age(
    nation: str, date_of_birth: date | None, on: date
) -> set[str]:
    """Steps not asked of young applicants, whose data the law protects."""
    if date_of_birth is None:
        return set()
    skipped: set[str] = set()
    for row in _under_16_rows():
        if row["nation"] == nation and age_on(date_of_birth, on) < int(
            row["below_age"]
        ):
            skipped.update(row["skips"].split())
    return skipped


# Nationality ------------------------------------------------------------------------


@cache
def _countries() -> dict[str, dict[str, str]]:
    return {row["iso2"]: row for row in _read("countries.csv")}


@cache
def _franchise_rows() -> tuple[dict[str, str], ...]:
    return tuple(_read("franchise.csv"))


def nationality_class(iso2: str, on: date) -> str:
    """British, Irish, Commonwealth, EU with a voting-rights treaty, other EU, other."""
    if iso2 == "GB":
        return "british"
    if iso2 == "IE":
        return "irish"
    row = _countries().get(iso2)
    if row is None:
        return "other"
    if row["commonwealth"] == "yes":
        return "commonwealth"
    treaty = row["voting_treaty_from"]
    if treaty and date.fromisoformat(treaty) <= on:
        return "eu_treaty"
    if row["eu"] == "yes":
        return "eu"
    return "other"


def classes_held(nationalities: list[str], on: date) -> set[str]:
    return {nationality_class(code, on) for code in nationalities}


@dataclass(frozen=True)
class Franchise:
    nationality_class: str
    uk_parliament: bool
    local_government: bool
    condition: str
    legal_basis: str


def franchises(nation: str, classes: set[str], on: date) -> list[Franchise]:
    return list(_franchises(nation, frozenset(classes), on))


@lru_cache(maxsize=RULES_REMEMBERED)
def _franchises(
    nation: str, classes: frozenset[str], on: date
) -> tuple[Franchise, ...]:
    return tuple(
        Franchise(
            row["nationality_class"],
            row["uk_parliament"] == "yes",
            row["local_government"] == "yes",
            row["condition"],
            row["legal_basis"],
        )
        for row in _franchise_rows()
        if row["nation"] == nation
        and row["nationality_class"] in classes
        and _in_force(row, on)
    )


def unconditional(nation: str, classes: set[str], on: date) -> bool:
    return any(not f.condition for f in franchises(nation, classes, on))


def conditions_to_ask(
    nation: str, classes: set[str], on: date, met: set[str] | None = None
) -> set[str]:
    """The follow-up questions ("leave", "retained_rights") that could still change
    which registers this person may join, given the conditions already `met`.

    None are asked when a nationality gives a right without conditions, or when the
    conditions met already open every register any answer could."""
    return set(_conditions_to_ask(nation, frozenset(classes), on, frozenset(met or ())))


@lru_cache(maxsize=RULES_REMEMBERED)
def _conditions_to_ask(
    nation: str, classes: frozenset[str], on: date, met: frozenset[str]
) -> frozenset[str]:
    if unconditional(nation, set(classes), on):
        return frozenset()
    conditions = {f.condition for f in franchises(nation, set(classes), on)}
    best = registers_open(nation, set(classes), conditions, on)
    if registers_open(nation, set(classes), set(met), on) == best:
        return frozenset()
    return frozenset(conditions - met)


def registers_open(
    nation: str, classes: set[str], conditions_met: set[str], on: date
) -> set[str]:
    """The registers this person may join, given the conditions they say they meet."""
    registers: set[str] = set()
    for f in franchises(nation, classes, on):
        if f.condition and f.condition not in conditions_met:
            continue
        if f.uk_parliament:
            registers.add("UK Parliament")
        if f.local_government:
            registers.add("local government")
    return registers
