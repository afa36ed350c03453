"""A synthetic population for the identity service, and what its people type when
they apply: the same every time for a seed, so tests and benchmarks know the truth.

People are made from Faker's en_GB name lists (and a few names with accents and
apostrophes from data/extra_names.csv). Applicants are made from people: most type
their details as the record holds them, others use a short form, leave out a middle
name, make a typing mistake, swap day and month, mistype their NINO, use a married
name, have no NINO, use someone else's NINO, or do not exist at all. Each applicant
carries the result the checks are designed to give (EXPECTED)."""

import csv
import datetime
import functools
import random
import string
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from faker.providers.person.en_GB import Provider as NameData

from ier.identity.names import are_variants, name_key, name_words, variants_of

DATA_DIR = Path(__file__).resolve().parent / "data"
NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
NINO_NEVER_ISSUED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
EARLIEST_BIRTH = datetime.date(1935, 1, 1)
LATEST_BIRTH = datetime.date(2008, 6, 30)
NO_NINO_REASONS = (
    "I have never been given one",
    "I have lost my card and cannot find the number",
    "I moved to the UK recently",
)

VERIFIED, PARTIAL, NOT_VERIFIED, NO_NINO = (
    "verified",
    "partial",
    "not_verified",
    "no_nino",
)

#: The result each kind of applicant is designed to get, and whether the applicant
#: is the person the NINO belongs to.
EXPECTED: dict[str, tuple[str, bool]] = {
    "exact": (VERIFIED, True),
    "formatting": (VERIFIED, True),
    "nickname": (VERIFIED, True),
    "missing_middle": (VERIFIED, True),
    "extra_middle": (VERIFIED, True),
    "middle_initials": (VERIFIED, True),
    "hyphenation": (VERIFIED, True),
    "surname_part": (VERIFIED, True),
    "married_with_previous": (VERIFIED, True),
    "record_previous_name": (VERIFIED, True),
    "initial_only": (PARTIAL, True),
    "known_by_middle": (PARTIAL, True),
    "married_without_previous": (PARTIAL, True),
    "typo_first": (PARTIAL, True),
    "typo_last": (PARTIAL, True),
    "swapped_dob": (NOT_VERIFIED, True),
    "wrong_dob": (NOT_VERIFIED, True),
    "mistyped_nino": (NOT_VERIFIED, True),
    "no_nino": (NO_NINO, True),
    "twin": (PARTIAL, False),
    "borrowed_nino": (NOT_VERIFIED, False),
    "nonexistent": (NOT_VERIFIED, False),
}
#: Applicants who typed exactly what the record holds (up to case and spacing).
TYPED_CORRECTLY = {"exact", "formatting"}
#: How often each kind is drawn for a person (the rest are added separately).
WEIGHTS = {
    "exact": 30,
    "formatting": 6,
    "nickname": 7,
    "missing_middle": 5,
    "extra_middle": 3,
    "middle_initials": 3,
    "hyphenation": 3,
    "surname_part": 2,
    "married_with_previous": 4,
    "record_previous_name": 3,
    "initial_only": 3,
    "known_by_middle": 2,
    "married_without_previous": 3,
    "typo_first": 4,
    "typo_last": 4,
    "swapped_dob": 3,
    "wrong_dob": 2,
    "mistyped_nino": 3,
    "no_nino": 3,
}


@dataclass(frozen=True)
class SyntheticPerson:
    index: int
    nino: str
    nino_suffix: str
    first_name: str
    middle_names: str
    last_name: str
    date_of_birth: datetime.date
    previous_last_name: str = ""
    twin_of: int | None = None


@dataclass(frozen=True)
class SyntheticCase:
    number: int
    person_index: int | None
    variation: str
    first_name: str
    middle_names: str
    last_name: str
    date_of_birth: datetime.date
    nino: str
    previous_first_name: str = ""
    previous_middle_names: str = ""
    previous_last_name: str = ""
    no_nino_reason: str = ""
    uprn: int | None = None
    on_register: bool = False

    @property
    def expected(self) -> str:
        return EXPECTED[self.variation][0]

    @property
    def genuine(self) -> bool:
        return EXPECTED[self.variation][1]

    @property
    def typed_correctly(self) -> bool:
        return self.variation in TYPED_CORRECTLY


@functools.cache
def name_pool() -> "NamePool":
    return NamePool()


def _extra_names() -> dict[str, list[str]]:
    extra: dict[str, list[str]] = {"female": [], "male": [], "last": []}
    with (DATA_DIR / "extra_names.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            extra[row["kind"]].append(row["name"])
    return extra


class NamePool:
    def __init__(self):
        extra = _extra_names()
        self.first = {
            "female": sorted(set(NameData.first_names_female)) + extra["female"],
            "male": sorted(set(NameData.first_names_male)) + extra["male"],
        }
        self.last = sorted(set(NameData.last_names)) + extra["last"]

    def first_name(self, rng: random.Random, sex: str, unlike: str = "") -> str:
        while True:
            name = rng.choice(self.first[sex])
            if not unlike or not _related(name, unlike):
                return name

    def last_name(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.05:
            return "%s-%s" % (rng.choice(self.last), rng.choice(self.last))
        if roll < 0.07:
            return "%s %s" % (rng.choice(self.last), rng.choice(self.last))
        return rng.choice(self.last)


def _related(a: str, b: str) -> bool:
    """Names a twin must not share: the same initial, or variants of each other."""
    return name_key(a)[:1] == name_key(b)[:1] or are_variants(a, b)


def _date_between(
    rng: random.Random, start: datetime.date, end: datetime.date
) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days))


def _new_nino(rng: random.Random, used: set[str]) -> str:
    while True:
        prefix = rng.choice(NINO_FIRST) + rng.choice(NINO_SECOND)
        nino = prefix + "".join(rng.choice(string.digits) for _ in range(6))
        if prefix not in NINO_NEVER_ISSUED and nino not in used:
            used.add(nino)
            return nino


def make_population(size: int, seed: int = 2014) -> list[SyntheticPerson]:
    rng = random.Random("people-%d" % seed)  # noqa: S311 - synthetic data  # nosec B311
    pool = name_pool()
    used: set[str] = set()
    people: list[SyntheticPerson] = []
    while len(people) < size:
        person = _new_person(rng, pool, used, len(people))
        people.append(person)
        if rng.random() < 0.03 and len(people) < size:
            people.append(_twin(rng, pool, used, person, len(people)))
    return people


def _middle_names(rng: random.Random, pool: NamePool, sex: str, first: str) -> str:
    roll = rng.random()
    count = 0 if roll < 0.35 else (1 if roll < 0.85 else 2)
    names: list[str] = []
    while len(names) < count:
        name = pool.first_name(rng, sex)
        if name_key(name) != name_key(first) and name not in names:
            names.append(name)
    return " ".join(names)


def _new_person(
    rng: random.Random, pool: NamePool, used: set[str], index: int
) -> SyntheticPerson:
    sex = rng.choice(("female", "male"))
    first = pool.first_name(rng, sex)
    last = pool.last_name(rng)
    previous = pool.last_name(rng) if rng.random() < 0.08 else ""
    return SyntheticPerson(
        index=index,
        nino=_new_nino(rng, used),
        nino_suffix=rng.choice("ABCD"),
        first_name=first,
        middle_names=_middle_names(rng, pool, sex, first),
        last_name=last,
        date_of_birth=_date_between(rng, EARLIEST_BIRTH, LATEST_BIRTH),
        previous_last_name=previous if name_key(previous) != name_key(last) else "",
    )


def _twin(
    rng: random.Random, pool: NamePool, used: set[str], of: SyntheticPerson, index: int
) -> SyntheticPerson:
    sex = rng.choice(("female", "male"))
    first = pool.first_name(rng, sex, unlike=of.first_name)
    return SyntheticPerson(
        index=index,
        nino=_new_nino(rng, used),
        nino_suffix=rng.choice("ABCD"),
        first_name=first,
        middle_names=_middle_names(rng, pool, sex, first),
        last_name=of.last_name,
        date_of_birth=of.date_of_birth,
        twin_of=of.index,
    )


# What people type: one function per kind of applicant, returning None when the
# kind does not apply to this person (no middle name to leave out, and so on).
Maker = Callable[[SyntheticCase, SyntheticPerson, random.Random], SyntheticCase | None]


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _formatting(case, person, rng):
    styles = (
        str.lower,
        str.upper,
        _without_accents,
        lambda text: "  %s " % text.replace(" ", "  "),
    )
    style = rng.choice(styles)
    return replace(
        case,
        first_name=style(case.first_name),
        last_name=style(case.last_name),
        nino=case.nino.lower().replace(" ", ""),
    )


def _nickname(case, person, rng):
    options = variants_of(name_words(person.first_name)[0])
    return replace(case, first_name=rng.choice(options).title()) if options else None


def _missing_middle(case, person, rng):
    return replace(case, middle_names="") if person.middle_names else None


def _extra_middle(case, person, rng):
    if person.middle_names:
        return None
    return replace(
        case,
        middle_names=name_pool().first_name(rng, "female", unlike=person.first_name),
    )


def _middle_initials(case, person, rng):
    words = person.middle_names.split()
    return replace(case, middle_names=" ".join(w[0] for w in words)) if words else None


def _hyphenation(case, person, rng):
    if "-" in person.last_name:
        return replace(case, last_name=person.last_name.replace("-", " "))
    if " " in person.last_name:
        return replace(case, last_name=person.last_name.replace(" ", "-"))
    return None


def _surname_part(case, person, rng):
    parts = person.last_name.replace("-", " ").split()
    return replace(case, last_name=rng.choice(parts)) if len(parts) > 1 else None


def _new_surname(person: SyntheticPerson, rng: random.Random) -> str:
    while True:
        surname = name_pool().last_name(rng)
        if not set(name_words(surname)) & set(name_words(person.last_name)):
            return surname


def _married_with_previous(case, person, rng):
    return replace(
        case,
        last_name=_new_surname(person, rng),
        previous_first_name=person.first_name,
        previous_last_name=person.last_name,
    )


def _married_without_previous(case, person, rng):
    return replace(case, last_name=_new_surname(person, rng))


def _record_previous_name(case, person, rng):
    return (
        replace(case, last_name=person.previous_last_name)
        if person.previous_last_name
        else None
    )


def _initial_only(case, person, rng):
    return replace(case, first_name=person.first_name[0] + rng.choice(("", ".")))


def _known_by_middle(case, person, rng):
    middles = person.middle_names.split()
    if not middles or are_variants(middles[0], person.first_name):
        return None
    return replace(case, first_name=middles[0], middle_names="")


def _typo(name: str, rng: random.Random) -> str | None:
    """One slip of the keyboard after the first letter, never another real form."""
    if " " in name or "-" in name or len(name) < 5:
        return None
    for _attempt in range(20):
        at = rng.randrange(1, len(name) - 1)
        kind = rng.choice(("swap", "drop", "double", "replace"))
        if kind == "swap":
            typed = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
        elif kind == "drop":
            typed = name[:at] + name[at + 1 :]
        elif kind == "double":
            typed = name[:at] + name[at] + name[at:]
        else:
            typed = name[:at] + rng.choice(string.ascii_lowercase) + name[at + 1 :]
        if name_key(typed) != name_key(name) and not are_variants(typed, name):
            return typed
    return None


def _typo_first(case, person, rng):
    typed = _typo(person.first_name, rng)
    return replace(case, first_name=typed) if typed else None


def _typo_last(case, person, rng):
    typed = _typo(person.last_name, rng)
    return replace(case, last_name=typed) if typed else None


def _swapped_dob(case, person, rng):
    dob = person.date_of_birth
    if dob.day > 12 or dob.day == dob.month:
        return None
    return replace(case, date_of_birth=dob.replace(day=dob.month, month=dob.day))


def _wrong_dob(case, person, rng):
    dob = person.date_of_birth
    years = rng.choice((-2, -1, 1, 2))
    day = min(dob.day, 28)
    return replace(case, date_of_birth=dob.replace(year=dob.year + years, day=day))


def _no_nino(case, person, rng):
    return replace(case, nino="", no_nino_reason=rng.choice(NO_NINO_REASONS))


MAKERS: dict[str, Maker] = {
    "exact": lambda case, person, rng: case,
    "formatting": _formatting,
    "nickname": _nickname,
    "missing_middle": _missing_middle,
    "extra_middle": _extra_middle,
    "middle_initials": _middle_initials,
    "hyphenation": _hyphenation,
    "surname_part": _surname_part,
    "married_with_previous": _married_with_previous,
    "record_previous_name": _record_previous_name,
    "initial_only": _initial_only,
    "known_by_middle": _known_by_middle,
    "married_without_previous": _married_without_previous,
    "typo_first": _typo_first,
    "typo_last": _typo_last,
    "swapped_dob": _swapped_dob,
    "wrong_dob": _wrong_dob,
    "no_nino": _no_nino,
}


def _special_variations(person: SyntheticPerson) -> list[str]:
    """Kinds only some people can be: drawn more often for them, so that even a
    small population has a few of each."""
    special = []
    if len(person.last_name.replace("-", " ").split()) > 1:
        special += ["hyphenation", "surname_part"]
    if person.previous_last_name:
        special.append("record_previous_name")
    return special


def spaced_nino(nino: str, suffix: str) -> str:
    return " ".join([nino[0:2], nino[2:4], nino[4:6], nino[6:8], suffix]).strip()


def _as_typed(person: SyntheticPerson) -> SyntheticCase:
    return SyntheticCase(
        number=0,
        person_index=person.index,
        variation="exact",
        first_name=person.first_name,
        middle_names=person.middle_names,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        nino=spaced_nino(person.nino, person.nino_suffix),
    )


class ApplicantMaker:
    """Makes the applicants for a population; `make` returns them numbered in order."""

    def __init__(self, people: Sequence[SyntheticPerson], seed: int):
        self.people = people
        self.rng = random.Random("applicants-%d" % seed)  # noqa: S311 - synthetic data  # nosec B311
        self.by_nino = {person.nino: person for person in people}
        self.cases: list[SyntheticCase] = []

    def add(self, case: SyntheticCase) -> None:
        self.cases.append(replace(case, number=len(self.cases) + 1))

    def make(self) -> list[SyntheticCase]:
        kinds, weights = zip(*WEIGHTS.items(), strict=True)
        for person in self.people:
            variation = self.rng.choices(kinds, weights)[0]
            special = _special_variations(person)
            if special and self.rng.random() < 0.6:
                variation = self.rng.choice(special)
            if variation == "mistyped_nino":
                self.add(self.mistyped_nino(person))
                continue
            typed = MAKERS[variation](_as_typed(person), person, self.rng)
            if typed is None:
                typed, variation = _as_typed(person), "exact"
            self.add(replace(typed, variation=variation))
            if person.twin_of is not None:
                self.add(self.twin(person, self.people[person.twin_of]))
        for _ in range(max(1, len(self.people) // 25)):
            self.add(self.borrowed_nino())
            self.add(self.nonexistent())
        return self.cases

    def mistyped_nino(self, person: SyntheticPerson) -> SyntheticCase:
        while True:
            at = self.rng.randrange(2, 8)
            digit = self.rng.choice([d for d in string.digits if d != person.nino[at]])
            typed = person.nino[:at] + digit + person.nino[at + 1 :]
            holder = self.by_nino.get(typed)
            if holder is None or holder.date_of_birth != person.date_of_birth:
                return replace(
                    _as_typed(person),
                    variation="mistyped_nino",
                    nino=spaced_nino(typed, person.nino_suffix),
                )

    def twin(self, impostor: SyntheticPerson, other: SyntheticPerson) -> SyntheticCase:
        """One twin applying with the other's NINO (same surname, same birthday)."""
        return replace(
            _as_typed(impostor),
            variation="twin",
            person_index=other.index,
            nino=spaced_nino(other.nino, other.nino_suffix),
        )

    def borrowed_nino(self) -> SyntheticCase:
        applicant, owner = self.rng.sample(list(self.people), 2)
        while owner.date_of_birth == applicant.date_of_birth:
            owner = self.rng.choice(self.people)
        return replace(
            _as_typed(applicant),
            variation="borrowed_nino",
            person_index=owner.index,
            nino=spaced_nino(owner.nino, owner.nino_suffix),
        )

    def nonexistent(self) -> SyntheticCase:
        pool = name_pool()
        sex = self.rng.choice(("female", "male"))
        nino = _new_nino(self.rng, set(self.by_nino))
        return SyntheticCase(
            number=0,
            person_index=None,
            variation="nonexistent",
            first_name=pool.first_name(self.rng, sex),
            middle_names="",
            last_name=pool.last_name(self.rng),
            date_of_birth=_date_between(self.rng, EARLIEST_BIRTH, LATEST_BIRTH),
            nino=spaced_nino(nino, self.rng.choice("ABCD")),
        )


def make_applicants(
    people: Sequence[SyntheticPerson], seed: int = 2014
) -> list[SyntheticCase]:
    return ApplicantMaker(people, seed).make()
