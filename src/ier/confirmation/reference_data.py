"""Reference tables shipped as data files in `data/` (see `data/README.md`).

Matching rules that are facts about names and addresses live in those files, so a
missing nickname or abbreviation is fixed by adding a row, not by changing code.
"""

import csv
import functools
import io
from importlib import resources


def _data_text(name: str) -> str:
    return (
        resources.files("ier.confirmation")
        .joinpath("data", name)
        .read_text(encoding="utf-8")
    )


def _lines_without_comments(name: str) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in _data_text(name).splitlines())
    return [line for line in lines if line]


@functools.cache
def nickname_groups() -> dict[str, tuple[str, ...]]:
    """Return each known first name mapped to the formal names it can stand for.

    A formal name maps to itself; an informal name maps to every formal name it
    is short for (`alex` -> `alexander`, `alexandra`). Names are lower case.
    """
    groups: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(_data_text("nicknames.csv"))):
        formal = row["formal_name"].strip()
        groups.setdefault(formal, set()).add(formal)
        for informal in row["informal_names"].split():
            groups.setdefault(informal, set()).add(formal)
    return {name: tuple(sorted(formals)) for name, formals in sorted(groups.items())}


@functools.cache
def informal_names() -> dict[str, tuple[str, ...]]:
    """Return each formal first name mapped to its informal names, in file order."""
    rows = csv.DictReader(io.StringIO(_data_text("nicknames.csv")))
    return {
        row["formal_name"].strip(): tuple(row["informal_names"].split()) for row in rows
    }


@functools.cache
def titles() -> tuple[str, ...]:
    """Return the honorifics and suffixes removed from name fields, lower case."""
    return tuple(_lines_without_comments("titles.txt"))


@functools.cache
def address_abbreviations() -> dict[str, str]:
    """Return each address word as written mapped to its canonical spelling."""
    rows = csv.DictReader(io.StringIO(_data_text("address_abbreviations.csv")))
    return {row["written"].strip(): row["canonical"].strip() for row in rows}


@functools.cache
def postcode_areas() -> tuple[str, ...]:
    """Return the letter prefixes of Great Britain's postcode areas."""
    return tuple(
        area
        for line in _lines_without_comments("postcode_areas.txt")
        for area in line.split()
    )
