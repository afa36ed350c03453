"""A synthetic population: people, households and the addresses they live at.

Everything is drawn from one `random.Random`, so a seed gives the same population
on every machine. Names come from Faker's per-locale name lists (a mix of locales,
because the register of a British town is not all Anglo-Saxon names) with a
skewed frequency, so that common names are common and collide as they do in life.
"""

import bisect
import datetime
import importlib
import itertools
import math
import random
from dataclasses import dataclass, field

from ier.confirmation import reference_data

# Share of people whose names come from each Faker locale.
LOCALE_SHARES = {
    "en_GB": 0.70,
    "en_IE": 0.08,
    "en_IN": 0.06,
    "pl_PL": 0.03,
    "fr_FR": 0.03,
    "es_ES": 0.02,
    "it_IT": 0.02,
    "de_DE": 0.02,
    "tr_TR": 0.02,
    "ro_RO": 0.02,
}

STREET_SUFFIXES = (
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Drive",
    "Way",
    "Gardens",
    "Crescent",
    "Grove",
    "Place",
    "Court",
    "Terrace",
    "Walk",
    "Mews",
    "Hill",
    "Green",
    "Square",
    "Row",
    "Rise",
    "Park",
)
HOUSE_NAMES = (
    "Rose Cottage",
    "The Old Rectory",
    "Orchard House",
    "Ivy Cottage",
    "The Willows",
    "Holly House",
    "The Lodge",
    "Meadow View",
    "The Barn",
    "Fern Cottage",
)
# Adults per dwelling (the register holds adults only).
HOUSEHOLD_SIZES = {1: 0.31, 2: 0.38, 3: 0.15, 4: 0.11, 5: 0.05}
MIDDLE_NAME_COUNTS = {0: 0.35, 1: 0.55, 2: 0.10}
DWELLINGS_PER_POSTCODE = 14
DWELLINGS_PER_STREET = 40
FLAT_SHARE = 0.2
NAMED_HOUSE_SHARE = 0.04
SHARED_SURNAME_SHARE = 0.75
JUNIOR_SHARE = 0.02
OLDEST_AGE, YOUNGEST_AGE = 95, 18
REFERENCE_DAY = datetime.date(2026, 11, 1)


@dataclass(frozen=True)
class Address:
    """A dwelling as the reference gazetteer would hold it."""

    key: int
    subname: str
    name: str
    number: str
    street: str
    street_key: int
    town: str
    postcode: str


@dataclass
class Person:
    """One real (synthetic) person, before anyone has recorded them."""

    key: int
    locale: str
    sex: str
    first_name: str
    middle_names: list[str]
    surname: str
    date_of_birth: datetime.date
    address: int
    tags: list[str] = field(default_factory=list)


class WeightedList:
    """Draw from a fixed list with fixed weights in O(log n)."""

    def __init__(self, values, weights):
        self.values = list(values)
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random):
        point = rng.random() * self.cumulative[-1]
        return self.values[bisect.bisect_right(self.cumulative, point)]


def zipf(values) -> WeightedList:
    """Weight a list so that its first entries are the most common ones."""
    return WeightedList(values, [1 / (rank + 5) ** 0.9 for rank in range(len(values))])


def _names(provider, attribute):
    values = getattr(provider, attribute, None) or ()
    return [name for name in values if name.isalpha() or "-" in name]


class NameVocabulary:
    """First names by locale and sex, and surnames by locale."""

    def __init__(self):
        self.locales = WeightedList(LOCALE_SHARES, LOCALE_SHARES.values())
        self.first = {}
        self.surnames = {}
        for locale in LOCALE_SHARES:
            provider = importlib.import_module("faker.providers.person." + locale)
            provider = provider.Provider
            for sex in ("male", "female"):
                self.first[locale, sex] = zipf(_names(provider, "first_names_" + sex))
            surnames = _names(provider, "last_names")
            if len(surnames) < 10:  # some locales list surnames by sex only
                surnames = _names(provider, "male_last_names")
            self.surnames[locale] = zipf(surnames)

    def first_name(self, rng, locale, sex):
        return self.first[locale, sex].draw(rng)

    def surname(self, rng, locale):
        return self.surnames[locale].draw(rng)


def _postcode_units(rng: random.Random, count: int) -> list[str]:
    """Return `count` distinct postcodes spread over districts and areas."""
    areas = list(reference_data.postcode_areas())
    rng.shuffle(areas)
    per_sector = 40
    sectors = max(1, math.ceil(count / per_sector))
    units = []
    for index in range(sectors):
        area = areas[index % len(areas)]
        district = (index // len(areas)) // 10 + 1
        sector = (index // len(areas)) % 10
        letters = rng.sample("ABDEFGHJLNPQRSTUWXYZ", 8)
        for first, second in itertools.permutations(letters, 2):
            units.append("%s%d %d%s%s" % (area, district, sector, first, second))
            if len(units) >= (index + 1) * per_sector:
                break
    return units[:count]


def make_addresses(rng: random.Random, count: int) -> list[Address]:
    """Return `count` dwellings: streets of houses, some flats, some named houses."""
    vocabulary = zipf(
        _names(
            importlib.import_module("faker.providers.person.en_GB").Provider,
            "last_names",
        )
    )
    towns = _town_names(rng, max(1, count // 20000))
    postcodes = _postcode_units(rng, math.ceil(count / DWELLINGS_PER_POSTCODE))
    addresses: list[Address] = []
    street_key = 0
    while len(addresses) < count:
        street_key += 1
        street = f"{vocabulary.draw(rng)} {rng.choice(STREET_SUFFIXES)}"
        first_postcode = (len(addresses) // DWELLINGS_PER_POSTCODE) % len(postcodes)
        town = towns[(first_postcode * len(towns)) // len(postcodes)]
        for number in range(1, DWELLINGS_PER_STREET + 1):
            if len(addresses) >= count:
                break
            unit = min(len(addresses) // DWELLINGS_PER_POSTCODE, len(postcodes) - 1)
            postcode = postcodes[unit]
            addresses.extend(
                _dwellings(
                    rng, len(addresses), number, street, street_key, town, postcode
                )
            )
    return addresses[:count]


def _dwellings(rng, first_key, number, street, street_key, town, postcode):
    if rng.random() < FLAT_SHARE:
        flats = rng.randint(2, 6)
        return [
            Address(
                first_key + flat - 1,
                "Flat %d" % flat,
                "",
                str(number),
                street,
                street_key,
                town,
                postcode,
            )
            for flat in range(1, flats + 1)
        ]
    if rng.random() < NAMED_HOUSE_SHARE:
        return [
            Address(
                first_key,
                "",
                rng.choice(HOUSE_NAMES),
                "",
                street,
                street_key,
                town,
                postcode,
            )
        ]
    return [Address(first_key, "", "", str(number), street, street_key, town, postcode)]


def _town_names(rng, count):
    from faker import Faker

    faker = Faker("en_GB")
    faker.seed_instance(rng.getrandbits(32))
    names: list[str] = []
    while len(names) < count:
        name = faker.city()
        if name not in names:
            names.append(name)
    return names


def _date_of_birth(rng: random.Random) -> datetime.date:
    age_days = rng.randint(YOUNGEST_AGE * 365, OLDEST_AGE * 365)
    # Fewer very old people: fold part of the upper tail back.
    if age_days > 70 * 365 and rng.random() < 0.5:
        age_days -= 25 * 365
    return REFERENCE_DAY - datetime.timedelta(days=age_days)


def _draw(rng, shares):
    return WeightedList(shares, shares.values()).draw(rng)


def _new_person(rng, vocabulary, key, address, surname=None, locale=None):
    locale = locale or vocabulary.locales.draw(rng)
    sex = rng.choice(("male", "female"))
    middles = [
        vocabulary.first_name(rng, locale, sex)
        for _ in range(_draw(rng, MIDDLE_NAME_COUNTS))
    ]
    return Person(
        key=key,
        locale=locale,
        sex=sex,
        first_name=vocabulary.first_name(rng, locale, sex),
        middle_names=middles,
        surname=surname or vocabulary.surname(rng, locale),
        date_of_birth=_date_of_birth(rng),
        address=address,
    )


def _household(rng, vocabulary, first_key, address):
    size = _draw(rng, HOUSEHOLD_SIZES)
    head = _new_person(rng, vocabulary, first_key, address)
    members = [head]
    for offset in range(1, size):
        if rng.random() < SHARED_SURNAME_SHARE:
            member = _new_person(
                rng, vocabulary, first_key + offset, address, head.surname, head.locale
            )
        else:
            member = _new_person(rng, vocabulary, first_key + offset, address)
        members.append(member)
    if size > 1 and rng.random() < JUNIOR_SHARE:
        # Father and son, or mother and daughter, with the same name at one address.
        junior = members[1]
        junior.sex, junior.first_name = head.sex, head.first_name
        junior.surname = head.surname
        junior.tags.append("same_name_in_household")
    return members


def make_population(rng: random.Random, size: int):
    """Return (people, addresses) with about `size` people in households."""
    vocabulary = NameVocabulary()
    mean_household = sum(k * v for k, v in HOUSEHOLD_SIZES.items())
    addresses = make_addresses(rng, math.ceil(size / mean_household * 1.15))
    people: list[Person] = []
    address_order = list(range(len(addresses)))
    rng.shuffle(address_order)
    for address in address_order:
        if len(people) >= size:
            break
        people.extend(_household(rng, vocabulary, len(people), address))
    return people[:size], addresses, vocabulary
