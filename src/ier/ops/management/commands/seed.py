from django.core.management.base import BaseCommand

from ier.geography.importers import (
    default_authorities_file,
    default_scotland_file,
    import_authorities,
)
from ier.geography.models import Address, Authority
from ier.geography.seeding import seed_country
from ier.identity.seeding import seed_people  # verification (issue 4)


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
        # Verification (issue 4): the identity service's synthetic population.
        parser.add_argument(
            "--people",
            type=int,
            default=3000,
            help="synthetic people on the identity service's records (0: none)",
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
        # Verification (issue 4): people, what they type, and who is registered.
        if options["people"]:
            people, applicants = seed_people(options["people"], options["seed"])
            self.stdout.write(
                "Synthetic people: %d, and %d applicants with their expected results"
                % (len(people), len(applicants))
            )
