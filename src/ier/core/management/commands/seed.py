from django.core.management.base import BaseCommand

from ier.geography.importers import (
    default_authorities_file,
    default_scotland_file,
    import_authorities,
)
from ier.geography.models import Address, Authority
from ier.geography.seeding import seed_country


class Command(BaseCommand):
    help = (
        "Make the deterministic synthetic country: councils, postcodes and addresses."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2014)
        parser.add_argument(
            "--postcodes-per-authority",
            type=int,
            default=6,
            help="about 15 addresses each; 6 for the demo, 300+ for benchmarks",
        )

    def handle(self, *args, **options):
        if not Authority.objects.exists():
            import_authorities(default_authorities_file(), default_scotland_file())
        total = seed_country(options["seed"], options["postcodes_per_authority"])
        self.stdout.write(
            "Synthetic addresses: %d in %d councils"
            % (
                total,
                Authority.objects.filter(addresses__synthetic=True).distinct().count(),
            )
        )
        for nation in ("England", "Scotland", "Wales"):
            sample = (
                Address.objects.filter(synthetic=True, authority__nation=nation)
                .order_by("uprn")
                .first()
            )
            if sample:
                self.stdout.write(
                    "  try %s: %s (%s)"
                    % (nation, sample.postcode, sample.authority.name)
                )
