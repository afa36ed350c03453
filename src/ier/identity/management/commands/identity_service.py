from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ier.identity.seeding import ensure_population
from ier.identity.server import bind_from_url, serve_identity
from ier.identity.service import Faults, IdentityService


class Command(BaseCommand):
    help = (
        "Run the stand-in government identity service (its own process and database)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default="",
            help="HOST:PORT (default: from IER_IDENTITY_SERVICE_URL)",
        )
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--people",
            type=int,
            default=0,
            help="make sure this many synthetic people are on record first",
        )
        parser.add_argument("--seed", type=int, default=2014)
        faults = parser.add_argument_group("faults, for resilience tests")
        faults.add_argument(
            "--delay-ms", type=int, default=0, help="wait before every answer"
        )
        faults.add_argument(
            "--failure-rate",
            type=float,
            default=0.0,
            help="share of requests answered 503 at random (0 to 1)",
        )
        faults.add_argument(
            "--unavailable", action="store_true", help="answer 503 to everything"
        )

    def handle(self, *args, **options):
        if not 0 <= options["failure_rate"] <= 1:
            raise CommandError("--failure-rate must be between 0 and 1")
        if not settings.IDENTITY_SERVICE_TOKEN:
            raise CommandError("IER_IDENTITY_SERVICE_TOKEN must be set")
        if options["people"] and ensure_population(options["people"], options["seed"]):
            self.stdout.write("Made %d synthetic people" % options["people"])
        connections.close_all()  # each gunicorn worker opens its own
        service = IdentityService(
            settings.IDENTITY_SERVICE_TOKEN,
            Faults(
                options["delay_ms"], options["failure_rate"], options["unavailable"]
            ),
        )
        bind = options["bind"] or bind_from_url(settings.IDENTITY_SERVICE_URL)
        self.stdout.write("Identity service listening on %s" % bind)
        self.stdout.flush()
        serve_identity(service, bind, options["workers"])
