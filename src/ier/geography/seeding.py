"""Fill the address tables with the synthetic country, through the same bulk writer
the AddressBase importer uses (COPY on PostgreSQL), so millions of rows for the
benchmarks take seconds per million rather than minutes."""

from collections.abc import Callable, Iterable, Iterator

from django.db import transaction

from ier.geography.models import (
    Address,
    AreaSource,
    Authority,
    Nation,
    PostcodeArea,
    PostcodeDivision,
)
from ier.geography.synthetic import (
    CROSSING_EVERY,
    EMPTY_EVERY,
    SyntheticAddress,
    SyntheticCountry,
)
from ier.geography.writers import (
    address_writer,
    analyse,
    area_writer,
    division_writer,
)

BATCH = 50_000
#: GSS prefixes of wards and UK Parliament constituencies by nation.
WARD_PREFIX: dict[str, str] = {
    Nation.ENGLAND: "E05",
    Nation.WALES: "W05",
    Nation.SCOTLAND: "S13",
}
CONSTITUENCY_PREFIX: dict[str, str] = {
    Nation.ENGLAND: "E14",
    Nation.WALES: "W07",
    Nation.SCOTLAND: "S14",
}
#: Synthetic division codes are numbered from here, clear of the real ones.
SYNTHETIC_CODES = 900_000


def synthetic_divisions(
    authorities: list[Authority], areas: set[tuple[str, int]]
) -> list[tuple]:
    """Division rows for the synthetic postcodes: each council is one constituency
    of its own and two wards (its postcodes in order, the first half in ward 1),
    so a ward by-election covers some of a council's postcodes and not others."""
    by_council: dict[int, list[str]] = {}
    placed: set[str] = set()
    for postcode, authority_id in sorted(areas):
        if postcode not in placed:
            placed.add(postcode)
            by_council.setdefault(authority_id, []).append(postcode)
    rows = []
    for index, authority in enumerate(authorities):
        postcodes = by_council.get(authority.pk, [])
        for position, postcode in enumerate(postcodes):
            ward = 1 + (2 * position) // max(len(postcodes), 1)
            rows.append(
                (
                    postcode,
                    "%s%06d"
                    % (WARD_PREFIX[authority.nation], synthetic_ward(index, ward)),
                    "",
                    "%s%06d"
                    % (CONSTITUENCY_PREFIX[authority.nation], SYNTHETIC_CODES + index),
                    True,
                    None,
                )
            )
    return rows


def synthetic_ward(index: int, ward: int) -> int:
    """The number in the GSS code of ward 1 or 2 of the council at `index`."""
    return SYNTHETIC_CODES + 10 * index + ward


def _record(authority: Authority) -> dict:
    office = authority.registration_office
    return {
        "gss_code": authority.gss_code,
        "name": authority.name,
        "nation": authority.nation,
        "postcode": (office.postcode if office else "") or authority.postcode,
    }


def _neighbour(authorities: list[Authority], index: int) -> int | None:
    """The index of the next council in the same nation, to share a postcode with."""
    nation = authorities[index].nation
    for other in range(index + 1, len(authorities)):
        if authorities[other].nation == nation:
            return other
    return None


def _country_rows(
    country: SyntheticCountry,
    authorities: list[Authority],
    areas: set[tuple[str, int]],
    progress: Callable[[int], None] | None,
) -> Iterator[SyntheticAddress]:
    ids = {a.gss_code: a.pk for a in authorities}
    records = [_record(a) for a in authorities]
    for index, authority in enumerate(authorities):
        first_postcode = None
        for item in country.addresses_for(records[index], index):
            first_postcode = first_postcode or item.postcode
            areas.add((item.postcode, authority.pk))
            yield item
        neighbour = _neighbour(authorities, index)
        if index % CROSSING_EVERY == 5 and neighbour is not None and first_postcode:
            for item in country.crossing_addresses(
                first_postcode, records[neighbour], neighbour
            ):
                areas.add((item.postcode, ids[item.gss_code]))
                yield item
        if index % EMPTY_EVERY == 3:
            areas.add((country.empty_postcode(records[index]), authority.pk))
        if progress:
            progress(index + 1)


def _batches(
    items: Iterable[SyntheticAddress], ids: dict[str, int]
) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for item in items:
        batch.append(
            (
                item.uprn,
                item.line_1,
                item.line_2,
                "",
                item.town,
                item.postcode,
                ids[item.gss_code],
                item.sort_key,
                True,
                None,
            )
        )
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def seed_country(
    seed: int,
    postcodes_per_authority: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Replace every synthetic postcode and address; returns the number of addresses."""
    Address.objects.filter(synthetic=True).delete()
    PostcodeArea.objects.filter(synthetic=True).delete()
    PostcodeDivision.objects.filter(synthetic=True).delete()
    country = SyntheticCountry(
        seed=seed, postcodes_per_authority=postcodes_per_authority
    )
    authorities = list(
        Authority.objects.exclude(nation=Nation.NORTHERN_IRELAND)
        .filter(replaced_by__isnull=True)
        .select_related("registration_office")
        .order_by("gss_code")
    )
    ids = {a.gss_code: a.pk for a in authorities}
    areas: set[tuple[str, int]] = set()
    writer = address_writer()
    total = 0
    for batch in _batches(_country_rows(country, authorities, areas, progress), ids):
        total += writer.write(batch)
    area_writer().write(
        [
            (postcode, authority_id, AreaSource.SYNTHETIC.value, True, None)
            for postcode, authority_id in sorted(areas)
        ]
    )
    division_writer().write(synthetic_divisions(authorities, areas))
    analyse()
    return total


def crossing_postcodes() -> list[str]:
    """Synthetic postcodes that lie in more than one council."""
    from django.db.models import Count

    return list(
        PostcodeArea.objects.filter(synthetic=True)
        .values("postcode")
        .annotate(councils=Count("authority", distinct=True))
        .filter(councils__gt=1)
        .order_by("postcode")
        .values_list("postcode", flat=True)
    )


def empty_postcodes() -> list[str]:
    """Synthetic postcodes with no addresses at them."""
    with_addresses = Address.objects.filter(synthetic=True).values("postcode")
    return list(
        PostcodeArea.objects.filter(synthetic=True)
        .exclude(postcode__in=with_addresses)
        .order_by("postcode")
        .values_list("postcode", flat=True)
        .distinct()
    )
