"""A deterministic synthetic country: postcodes and addresses for every council.

Everything made here is flagged `synthetic=True` and uses house names and streets made
up from common surnames; it exists so the whole service can be run and measured
without licensed address data, through the same tables real data is loaded into."""

import random
from collections.abc import Iterator
from dataclasses import dataclass

from faker.providers.person.en_GB import Provider as NameData

from ier.geography.addresses import sort_key
from ier.geography.postcodes import normalise_postcode, postcode_area

STREET_TYPES = (
    "Road",
    "Street",
    "Lane",
    "Close",
    "Avenue",
    "Drive",
    "Way",
    "Gardens",
    "Crescent",
    "Terrace",
    "Place",
    "Grove",
    "Court",
    "Mews",
    "Row",
    "Walk",
)
HOUSE_NAMES = (
    "Rose Cottage",
    "The Old School House",
    "Ivy House",
    "The Willows",
    "Orchard View",
    "Hillside",
    "The Laurels",
    "Mill House",
    "The Coach House",
)
# Areas used for councils whose contact data carries no postcode, by nation.
FALLBACK_AREAS = {
    "England": ["LA", "CA", "NN", "YO", "TA", "DL", "BA", "MK", "HG", "LN"],
    "Scotland": ["IV", "KW", "PH", "AB", "DD", "KY", "FK", "PA", "KA", "TD"],
    "Wales": ["LL", "SY", "SA", "CF", "NP", "LD"],
}
SURNAMES = tuple(sorted(NameData.last_names))
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
UPRN_BASE = 900_000_000_000  # far above the ranges Ordnance Survey allocates
UPRNS_PER_AUTHORITY = 10_000_000
# Addresses a neighbouring council has at a postcode start this far into its range.
CROSSING_UPRN_OFFSET = 9_000_000
# One council in CROSSING_EVERY shares a postcode with the next council of its
# nation; one in EMPTY_EVERY has a postcode with no addresses (a new development,
# or one AddressBase has not caught up with), so every routing path can be tried.
CROSSING_EVERY = 40
EMPTY_EVERY = 25


@dataclass(frozen=True)
class SyntheticAddress:
    uprn: int
    line_1: str
    line_2: str
    town: str
    postcode: str
    gss_code: str
    sort_key: str


def town_name(council_name: str) -> str:
    words = [
        w
        for w in council_name.replace(",", "").split()
        if w
        not in {
            "Council",
            "Borough",
            "District",
            "City",
            "County",
            "of",
            "and",
            "Metropolitan",
            "Royal",
            "The",
            "London",
        }
    ]
    return " ".join(words[:2]) or council_name


class SyntheticCountry:
    """Makes postcodes and addresses for councils, the same every time for a seed."""

    def __init__(self, seed: int = 2014, postcodes_per_authority: int = 6):
        self.seed = seed
        self.postcodes_per_authority = postcodes_per_authority
        self._used_postcodes: set[str] = set()

    def areas_for(self, authority: dict) -> list[str]:
        area = postcode_area(authority.get("postcode") or "")
        fallback = FALLBACK_AREAS.get(authority["nation"], FALLBACK_AREAS["England"])
        return [area] if area else fallback

    def postcodes_for(
        self, authority: dict, rng: random.Random, count: int | None = None
    ) -> list[str]:
        areas = self.areas_for(authority)
        made: list[str] = []
        while len(made) < (count or self.postcodes_per_authority):
            raw = "%s%d %d%s" % (
                rng.choice(areas),
                rng.randint(1, 99),
                rng.randint(0, 9),
                "".join(rng.choice(INWARD_LETTERS) for _ in range(2)),
            )
            postcode = normalise_postcode(raw)
            if postcode and postcode not in self._used_postcodes:
                self._used_postcodes.add(postcode)
                made.append(postcode)
        return made

    def addresses_for(self, authority: dict, index: int) -> Iterator[SyntheticAddress]:
        rng = random.Random("%s-%s" % (self.seed, authority["gss_code"]))  # noqa: S311 - made-up data
        town = town_name(authority["name"])
        uprn = UPRN_BASE + index * UPRNS_PER_AUTHORITY
        for postcode in self.postcodes_for(authority, rng):
            street = "%s %s" % (rng.choice(SURNAMES), rng.choice(STREET_TYPES))
            for line_1, line_2, key in self._street(rng, street):
                uprn += 1
                yield SyntheticAddress(
                    uprn, line_1, line_2, town, postcode, authority["gss_code"], key
                )

    def _street(
        self, rng: random.Random, street: str
    ) -> Iterator[tuple[str, str, str]]:
        """(line 1, line 2, sort key) for the houses and flats of one street."""
        numbers = sorted(rng.sample(range(1, 120), rng.randint(8, 16)))
        if rng.random() < 0.5:
            name = rng.choice(HOUSE_NAMES)
            yield name, street, sort_key(street, pao_text=name)
        for number in numbers:
            if number % 7 == 0:
                # A house divided into flats, read as a person counts them.
                for flat in range(1, rng.randint(3, 12)):
                    yield (
                        "Flat %d" % flat,
                        "%d %s" % (number, street),
                        sort_key(street, str(number), sao_text="Flat %d" % flat),
                    )
            else:
                suffix = rng.choice("AB") if number % 11 == 0 else ""
                yield (
                    "%d%s %s" % (number, suffix, street),
                    "",
                    sort_key(street, str(number), suffix),
                )

    def crossing_addresses(
        self, postcode: str, neighbour: dict, neighbour_index: int
    ) -> Iterator[SyntheticAddress]:
        """A few addresses of `neighbour` at a postcode of the council next to it:
        the postcode then crosses the boundary between the two."""
        rng = random.Random("%s-crossing-%s" % (self.seed, neighbour["gss_code"]))  # noqa: S311 - made-up data
        street = "%s %s" % (rng.choice(SURNAMES), rng.choice(STREET_TYPES))
        uprn = UPRN_BASE + neighbour_index * UPRNS_PER_AUTHORITY + CROSSING_UPRN_OFFSET
        town = town_name(neighbour["name"])
        for number in range(201, 201 + 2 * rng.randint(2, 4), 2):
            uprn += 1
            yield SyntheticAddress(
                uprn,
                "%d %s" % (number, street),
                "",
                town,
                postcode,
                neighbour["gss_code"],
                sort_key(street, str(number)),
            )

    def empty_postcode(self, authority: dict) -> str:
        """A postcode in the council's area with no addresses at it."""
        rng = random.Random("%s-empty-%s" % (self.seed, authority["gss_code"]))  # noqa: S311 - made-up data
        return self.postcodes_for(authority, rng, count=1)[0]
