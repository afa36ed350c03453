import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ier.core.server import serve
from ier.elections import demo as elections_demo
from ier.geography.models import Address
from ier.identity import demo as identity_demo  # verification (issue 4)

#: Other processes the demo runs beside the web tier: (name, `ier` arguments).
DEMO_PROCESSES: list[tuple[str, list[str]]] = [
    # Verification (issue 4): the worker, and the identity service on the port of
    # IER_IDENTITY_SERVICE_URL.
    ("worker", ["worker"]),
    ("identity service", ["identity-service"]),
]


class Command(BaseCommand):
    help = "Migrate, seed and run the whole service on SQLite under var/ (demo mode)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="prepare only")

    def handle(self, *args, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not Address.objects.filter(synthetic=True).exists():
            self.stdout.write("Seeding the synthetic country (first run only)...")
            call_command("seed")
        call_command("collectstatic", interactive=False, verbosity=0)
        identity_demo.prepare()  # verification (issue 4)
        self._show_try_it(options["bind"])
        identity_demo.show_identities(self.stdout)  # verification (issue 4)
        for line in elections_demo.prepare(settings.VAR_DIR):
            self.stdout.write(line)
        if options["no_serve"]:
            return
        children = [
            subprocess.Popen([sys.executable, "-m", "ier.cli", *arguments])  # noqa: S603
            for _name, arguments in DEMO_PROCESSES
        ]
        try:
            serve(options["bind"], workers=2)
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)

    def _show_try_it(self, bind: str) -> None:
        self.stdout.write("")
        self.stdout.write(
            "Register to vote is running (demo mode) at http://%s/" % bind
        )
        for nation in ("England", "Scotland", "Wales"):
            sample = (
                Address.objects.filter(synthetic=True, authority__nation=nation)
                .select_related("authority")
                .order_by("uprn")
                .first()
            )
            if sample:
                self.stdout.write(
                    "  a postcode to try in %s: %s (%s)"
                    % (nation, sample.postcode, sample.authority.name)
                )
        self.stdout.write("  synthetic data only; press Ctrl+C to stop")
