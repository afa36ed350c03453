"""How two organisations record the same people differently.

Each person gets a set of recording differences, each assigned to one side (the
register or the reference), drawn at the rates in RECORDING_DIFFERENCES. The
rates are our own estimates of how often such things happen between an
electoral register and a benefits record; they are parameters of a test set, not
measurements. Addresses get their errors from the `address-errors` package
(see `addresses.py`).
"""

import datetime
import random
import unicodedata

from ier.confirmation import reference_data

REGISTER, REFERENCE = "register", "reference"

# Share of people affected, per kind of difference between the two records.
RECORDING_DIFFERENCES = {
    "nickname": 0.06,  # of people whose first name has a known informal form
    "first_initial_only": 0.01,
    "first_name_typo": 0.02,
    "surname_typo": 0.02,
    "middle_names_missing": 0.30,  # of people with middle names
    "middle_initial_only": 0.05,
    "first_and_middle_swapped": 0.005,
    "surname_changed": 0.015,
    "moved": 0.04,
    "date_of_birth_typo": 0.01,
    "date_of_birth_missing": 0.02,
    "title_in_first_name": 0.01,
    "postcode_missing": 0.005,
}
# Formatting differences that are not errors: applied independently per record.
UPPER_CASE_SHARE = {REGISTER: 0.3, REFERENCE: 1.0}
ACCENTS_DROPPED_SHARE = 0.5
HYPHEN_AS_SPACE_SHARE = 0.3
MESSY_POSTCODE_SHARE = 0.15
TITLES = ("Mr", "Mrs", "Miss", "Ms", "Dr", "MR", "MRS", "Mx")
KEYBOARD_NEIGHBOURS = {
    "a": "sq",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "w",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


def choose_differences(rng: random.Random, person) -> dict[str, str]:
    """Return the differences this person's two records will show, with the side
    that carries each one."""
    chosen = {}
    for difference, share in RECORDING_DIFFERENCES.items():
        if rng.random() < share and _applies(difference, person):
            chosen[difference] = rng.choice((REGISTER, REFERENCE))
    return chosen


def _applies(difference, person):
    if difference == "nickname":
        return bool(reference_data.informal_names().get(person.first_name.lower()))
    if difference in {
        "middle_names_missing",
        "middle_initial_only",
        "first_and_middle_swapped",
    }:
        return bool(person.middle_names)
    return True


def typo(rng: random.Random, word: str) -> str:
    """Return `word` with one keying slip: a neighbouring key, a dropped, doubled
    or transposed letter."""
    if len(word) < 3:
        return word
    position = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letter = word[position]
    if kind == 0:
        neighbours = KEYBOARD_NEIGHBOURS.get(letter.lower(), letter)
        replacement = rng.choice(neighbours)
        replacement = replacement.upper() if letter.isupper() else replacement
        return word[:position] + replacement + word[position + 1 :]
    if kind == 1:
        return word[:position] + word[position + 1 :]
    if kind == 2:
        return word[:position] + letter + word[position:]
    return word[: position - 1] + letter + word[position - 1] + word[position + 1 :]


def _nickname(rng, first_name):
    informal = reference_data.informal_names()[first_name.lower()]
    return rng.choice(informal).title()


def recorded_names(rng, person, differences, side, new_surname):
    """Return (first_name, middle_names, surname) as `side` recorded them."""
    first, middles, surname = (
        person.first_name,
        list(person.middle_names),
        person.surname,
    )
    mine = {name for name, where in differences.items() if where == side}
    if "nickname" in mine:
        first = _nickname(rng, first)
    if "first_and_middle_swapped" in mine:
        first, middles = middles[0], [first, *middles[1:]]
    if "first_name_typo" in mine:
        first = typo(rng, first)
    if "first_initial_only" in mine:
        first = first[0]
    if "middle_names_missing" in mine:
        middles = []
    if "middle_initial_only" in mine:
        middles = [name[0] for name in middles]
    if "surname_changed" in mine:
        surname = new_surname
    if "surname_typo" in mine:
        surname = typo(rng, surname)
    if "title_in_first_name" in mine:
        first = f"{rng.choice(TITLES)} {first}"
    return first, " ".join(middles), surname


def recorded_date_of_birth(rng, person, differences, side) -> str:
    """Return the ISO date of birth as `side` recorded it ('' when missing)."""
    if differences.get("date_of_birth_missing") == side:
        return ""
    born = person.date_of_birth
    if differences.get("date_of_birth_typo") == side:
        born = _date_slip(rng, born)
    return born.isoformat()


def _date_slip(rng, born: datetime.date) -> datetime.date:
    if born.day <= 12 and born.day != born.month and rng.random() < 0.5:
        return born.replace(month=born.day, day=born.month)
    for _ in range(10):
        try:
            return born.replace(year=born.year + rng.choice((-10, -1, 1, 10)))
        except ValueError:
            continue
    return born


def writes_upper_case(rng: random.Random, side: str) -> bool:
    """Return whether this record of `side` is written in capitals."""
    return rng.random() < UPPER_CASE_SHARE[side]


def styled(rng, text: str, upper: bool) -> str:
    """Return `text` with accents sometimes dropped, hyphens sometimes spaced,
    in capitals when `upper`."""
    if rng.random() < ACCENTS_DROPPED_SHARE:
        text = strip_accents(text)
    if "-" in text and rng.random() < HYPHEN_AS_SPACE_SHARE:
        text = text.replace("-", " ")
    return text.upper() if upper else text


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def messy_postcode(rng: random.Random, postcode: str) -> str:
    """Return a postcode as people type it: sometimes lower case, run together or
    padded with spaces."""
    if rng.random() >= MESSY_POSTCODE_SHARE:
        return postcode
    style = rng.randrange(4)
    if style == 0:
        return postcode.lower()
    if style == 1:
        return postcode.replace(" ", "")
    if style == 2:
        return " {} ".format(postcode.replace(" ", "  "))
    return postcode.lower().replace(" ", "")
