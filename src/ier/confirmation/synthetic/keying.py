"""A second error model: records keyed, scanned and heard wrongly.

`ier seed-confirmation` (the rest of this package) makes a British population and
records it the way we expect two British organisations to differ. This module is
deliberately unlike it, so that the matcher can be measured on errors it was not
built around:

- people come from Faker's United States, Australian, Irish, Canadian and New
  Zealand locales, so names, streets, towns and postcodes (five digits, four
  digits, Eircodes, Canadian codes) are not British;
- every register record gets a number of errors drawn at random (none for about
  a third, up to four), each one of ERRORS: a keying slip (a neighbouring key, a
  letter dropped, doubled or transposed), an OCR confusion (`rn` read as `m`,
  `l` as `1`), a spelling that sounds the same (`ph` for `f`, `y` for `ie`), a
  given name left out, first name and surname swapped, a house number slipped, a
  postcode digit slipped, a surname changed while living at the same address, a
  line of the address missing, a date of birth slipped or missing; the reference
  record gets the same kinds of errors at a fifth of the rate;
- besides those, one register record in twenty has its postcode keyed wrong in
  two digits (beyond a slip), so that a postcode beyond a slip together with a
  damaged street, town or house number (two parts of the address at once) is
  common enough to be measured;
- households share an address and mostly a surname, and now and then a son has
  his father's first name (same-name relatives, told apart only by a date of
  birth or a middle name when there is one).

`generate()` writes the same three files as `ier seed-confirmation`.
"""

import datetime
import random
from pathlib import Path

from faker import Faker

from ier.confirmation.synthetic import (
    REFERENCE_COLUMNS,
    REGISTER_COLUMNS,
    TRUTH_COLUMNS,
    _identifiers,
    _write_csv,
)
from ier.confirmation.synthetic.recording import KEYBOARD_NEIGHBOURS

LOCALES = ("en_US", "en_AU", "en_IE", "en_CA", "en_NZ")
ON_REGISTER, IN_REFERENCE = 0.93, 0.92
HOUSEHOLD_SIZES = (1, 1, 2, 2, 2, 3, 3, 4, 5)
NAMESAKE_SON_SHARE = 0.04  # of households with a son: he has his father's name
MIDDLE_NAME_SHARE = 0.4
# How many errors a register record gets: weights for 0, 1, 2, 3 and 4 errors.
ERROR_COUNT_WEIGHTS = (34, 34, 20, 9, 3)
REFERENCE_ERROR_SHARE = 0.2
POSTCODE_REKEYED_SHARE = 0.05
ERRORS = {
    "keying_slip": 30,
    "ocr_confusion": 10,
    "sounds_alike": 10,
    "given_name_missing": 5,
    "first_and_surname_swapped": 4,
    "house_number_slip": 8,
    "postcode_slip": 8,
    "surname_changed_same_address": 4,
    "address_line_missing": 4,
    "date_of_birth_slip": 6,
    "date_of_birth_missing": 3,
}
OCR_CONFUSIONS = (
    ("rn", "m"),
    ("m", "rn"),
    ("l", "1"),
    ("i", "l"),
    ("o", "0"),
    ("e", "c"),
    ("cl", "d"),
    ("h", "b"),
    ("u", "v"),
    ("n", "ri"),
    ("s", "5"),
)
SOUNDS_ALIKE = (
    ("ph", "f"),
    ("f", "ph"),
    ("ck", "k"),
    ("c", "k"),
    ("k", "c"),
    ("ie", "y"),
    ("y", "ie"),
    ("ee", "ea"),
    ("ou", "ow"),
    ("s", "z"),
    ("z", "s"),
    ("son", "sen"),
    ("mac", "mc"),
    ("mc", "mac"),
    ("th", "t"),
    ("ll", "l"),
    ("tt", "t"),
    ("nn", "n"),
    ("ai", "ay"),
)
TEXT_FIELDS = ("first_name", "surname", "street", "town")


class Person:
    """One person: the true values of every field."""

    def __init__(self, key, first_name, middle_names, surname, born, address):
        self.key = key
        self.first_name = first_name
        self.middle_names = middle_names
        self.surname = surname
        self.born = born
        self.address = address

    def fields(self) -> dict[str, str]:
        number, street, town, postcode = self.address
        return {
            "first_name": self.first_name,
            "middle_names": self.middle_names,
            "surname": self.surname,
            "date_of_birth": self.born.isoformat(),
            "number": number,
            "street": street,
            "town": town,
            "postcode": postcode,
        }


def _population(rng: random.Random, size: int) -> list[Person]:
    fakers = []
    for index, locale in enumerate(LOCALES):
        faker = Faker(locale)
        faker.seed_instance(rng.randrange(2**32) + index)
        fakers.append(faker)
    people: list[Person] = []
    while len(people) < size:
        faker = rng.choice(fakers)
        address = (
            str(rng.randint(1, 400)),
            faker.street_name(),
            faker.city(),
            faker.postcode(),
        )
        people.extend(_household(rng, faker, address, len(people)))
    return people[:size]


def _household(rng, faker, address, first_key) -> list[Person]:
    surname = faker.last_name()
    members: list[Person] = []
    for index in range(rng.choice(HOUSEHOLD_SIZES)):
        male = rng.random() < 0.5
        first = faker.first_name_male() if male else faker.first_name_female()
        middle = faker.first_name() if rng.random() < MIDDLE_NAME_SHARE else ""
        born = datetime.date(1930, 1, 1) + datetime.timedelta(
            days=rng.randrange(365 * 75)
        )
        if index == 1 and members[0].first_name and rng.random() < NAMESAKE_SON_SHARE:
            # A son named after his father, living with him.
            first, middle = members[0].first_name, ""
        own_surname = surname if rng.random() < 0.85 else faker.last_name()
        members.append(
            Person(first_key + index, first, middle, own_surname, born, address)
        )
    return members


def _at(rng, text: str) -> int:
    return rng.randrange(len(text)) if text else 0


def keying_slip(rng: random.Random, text: str) -> str:
    """A neighbouring key, or a letter dropped, doubled or transposed."""
    if len(text) < 2:
        return text
    position = rng.randrange(len(text) - 1)
    letter = text[position]
    kind = rng.randrange(4)
    if kind == 0:
        return (
            text[:position]
            + rng.choice(KEYBOARD_NEIGHBOURS.get(letter.lower(), letter))
            + text[position + 1 :]
        )
    if kind == 1:
        return text[:position] + text[position + 1 :]
    if kind == 2:
        return text[:position] + letter + text[position:]
    return text[:position] + text[position + 1] + letter + text[position + 2 :]


def _replace_one(rng, text: str, pairs) -> str:
    lower = text.lower()
    found = [(a, b) for a, b in pairs if a in lower]
    if not found:
        return keying_slip(rng, text)
    old, new = rng.choice(found)
    starts = [i for i in range(len(lower)) if lower.startswith(old, i)]
    start = rng.choice(starts)
    return text[:start] + new + text[start + len(old) :]


def _digit_slip(rng, text: str) -> str:
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if not digits:
        return keying_slip(rng, text)
    position = rng.choice(digits)
    if rng.random() < 0.3 and position + 1 < len(text) and text[position + 1].isdigit():
        return (
            text[:position] + text[position + 1] + text[position] + text[position + 2 :]
        )
    other = rng.choice([d for d in "0123456789" if d != text[position]])
    return text[:position] + other + text[position + 1 :]


def _house_number_slip(rng, number: str) -> str:
    value = int(number)
    kind = rng.randrange(3)
    if kind == 0:
        return str(max(1, value + rng.choice((-2, -1, 1, 2))))
    if kind == 1 and value >= 10:
        return number[:-1]
    return _digit_slip(rng, number)


def postcode_rekeyed(rng: random.Random, postcode: str) -> str:
    """Two digits of `postcode` keyed wrong: more than one slip away."""
    digits = [i for i, c in enumerate(postcode) if c.isdigit()]
    if len(digits) < 2:
        return keying_slip(rng, postcode)
    chars = list(postcode)
    for position in rng.sample(digits, 2):
        chars[position] = rng.choice([d for d in "0123456789" if d != chars[position]])
    return "".join(chars)


def _date_slip(rng, born: str) -> str:
    try:
        date = datetime.date.fromisoformat(born)
    except ValueError:  # already slipped into a date that does not exist
        return _digit_slip(rng, born)
    if date.day <= 12 and rng.random() < 0.4:
        return date.replace(month=date.day, day=date.month).isoformat()
    return _digit_slip(rng, born)


def apply_error(rng: random.Random, fields: dict, error: str, new_surname: str):
    """Change `fields` (a record's values, in place) by one error of kind `error`."""
    if error in ("keying_slip", "ocr_confusion", "sounds_alike"):
        field = rng.choice(TEXT_FIELDS)
        if error == "keying_slip":
            fields[field] = keying_slip(rng, fields[field])
        else:
            pairs = OCR_CONFUSIONS if error == "ocr_confusion" else SOUNDS_ALIKE
            fields[field] = _replace_one(rng, fields[field], pairs)
    else:
        _field_error(rng, fields, error, new_surname)


def _field_error(rng, fields: dict, error: str, new_surname: str):
    if error == "given_name_missing":
        fields["first_name"], fields["middle_names"] = "", ""
    elif error == "first_and_surname_swapped":
        fields["first_name"], fields["surname"] = (
            fields["surname"],
            fields["first_name"],
        )
    elif error == "house_number_slip":
        fields["number"] = _house_number_slip(rng, fields["number"])
    elif error == "postcode_slip":
        fields["postcode"] = _digit_slip(rng, fields["postcode"])
    elif error == "surname_changed_same_address":
        fields["surname"] = new_surname
    elif error == "address_line_missing":
        fields[rng.choice(("street", "town"))] = ""
    elif error == "date_of_birth_slip" and fields["date_of_birth"]:
        fields["date_of_birth"] = _date_slip(rng, fields["date_of_birth"])
    elif error == "date_of_birth_missing":
        fields["date_of_birth"] = ""


def _recorded(
    rng, person: Person, errors: list[str], new_surname: str, with_dob, rekeying=None
):
    fields = person.fields()
    for error in errors:
        apply_error(rng, fields, error, new_surname)
    if rekeying is not None:
        fields["postcode"] = postcode_rekeyed(rekeying, fields["postcode"])
    return [
        fields["first_name"],
        fields["middle_names"],
        fields["surname"],
        fields["date_of_birth"] if with_dob else "",
        "{} {}".format(fields["number"], fields["street"]).strip(),
        "",
        fields["town"],
        fields["postcode"],
    ]


def _errors(rng, share: float) -> list[str]:
    count = rng.choices(range(len(ERROR_COUNT_WEIGHTS)), ERROR_COUNT_WEIGHTS)[0]
    kinds, weights = list(ERRORS), list(ERRORS.values())
    return [
        rng.choices(kinds, weights)[0] for _ in range(count) if rng.random() < share
    ]


def generate(
    size: int, out_dir: Path, seed: int = 1, with_dates_of_birth: bool = True
) -> dict[str, int]:
    """Write register.csv, reference.csv and truth.csv for about `size` electors
    into `out_dir`; return the row counts. The same seed gives the same files."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    people = _population(rng, round(size / ON_REGISTER))
    surnames = [p.surname for p in people]
    register = rng.sample(people, min(size, len(people)))
    reference = [p for p in people if rng.random() < IN_REFERENCE]
    elector_ids = _identifiers(rng, register, "E")
    person_ids = _identifiers(rng, reference, "P")
    rng.shuffle(reference)
    errors = {p.key: _errors(rng, 1.0) for p in register}
    # A generator of its own: every other error of a set made with the same
    # seed is as it was before this kind was added.
    rekeying = random.Random(seed + 1)  # noqa: S311 (test data, not secrets)
    rekeyed = {p.key for p in register if rekeying.random() < POSTCODE_REKEYED_SHARE}
    new_surnames = {p.key: rng.choice(surnames) for p in people}
    _write_csv(
        out_dir / "register.csv",
        REGISTER_COLUMNS,
        (
            [
                elector_ids[p.key],
                *_recorded(
                    rng,
                    p,
                    errors[p.key],
                    new_surnames[p.key],
                    with_dates_of_birth,
                    rekeying if p.key in rekeyed else None,
                ),
            ]
            for p in register
        ),
    )
    _write_csv(
        out_dir / "reference.csv",
        REFERENCE_COLUMNS,
        (
            [
                person_ids[p.key],
                *_recorded(
                    rng,
                    p,
                    _errors(rng, REFERENCE_ERROR_SHARE),
                    new_surnames[p.key],
                    with_dates_of_birth,
                ),
            ]
            for p in reference
        ),
    )
    _write_csv(
        out_dir / "truth.csv",
        TRUTH_COLUMNS,
        (
            [
                elector_ids[p.key],
                person_ids.get(p.key, ""),
                "|".join(errors[p.key] + ["postcode_rekeyed"] * (p.key in rekeyed))
                if p.key in person_ids
                else "",
            ]
            for p in register
        ),
    )
    return {
        "register": len(register),
        "reference": len(reference),
        "true_matches": sum(1 for p in register if p.key in person_ids),
    }
