"""Fill the address tables with the synthetic country."""

from collections.abc import Callable

from django.db import transaction

from ier.geography.models import Address, Authority, Nation, PostcodeArea
from ier.geography.synthetic import SyntheticCountry

BATCH = 5000


@transaction.atomic
def seed_country(
    seed: int, postcodes_per_authority: int, progress: Callable[[int], None] | None = None
) -> int:
    """Replace every synthetic postcode and address; returns the number of addresses."""
    Address.objects.filter(synthetic=True).delete()
    PostcodeArea.objects.filter(synthetic=True).delete()
    country = SyntheticCountry(seed=seed, postcodes_per_authority=postcodes_per_authority)
    authorities = list(
        Authority.objects.exclude(nation=Nation.NORTHERN_IRELAND)
        .filter(replaced_by__isnull=True)
        .order_by("gss_code")
    )
    total = 0
    batch: list[Address] = []
    for index, authority in enumerate(authorities):
        record = {
            "gss_code": authority.gss_code,
            "name": authority.name,
            "nation": authority.nation,
            "postcode": authority.ero_postcode or authority.postcode,
        }
        postcodes = set()
        for item in country.addresses_for(record, index):
            postcodes.add(item.postcode)
            batch.append(
                Address(
                    uprn=item.uprn, line_1=item.line_1, line_2=item.line_2,
                    town=item.town, postcode=item.postcode, authority=authority,
                    sort_key=item.sort_key, synthetic=True,
                )
            )
            if len(batch) >= BATCH:
                total += len(Address.objects.bulk_create(batch))
                batch = []
        PostcodeArea.objects.bulk_create(
            [PostcodeArea(postcode=p, authority=authority, synthetic=True) for p in sorted(postcodes)]
        )
        if progress:
            progress(index + 1)
    total += len(Address.objects.bulk_create(batch))
    return total
