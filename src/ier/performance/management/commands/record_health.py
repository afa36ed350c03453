import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ier.performance.health import record_health_check


class Command(BaseCommand):
    help = "Record a health check (for the uptime on /performance/); --loop to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")

    def handle(self, *args, **options):
        while True:
            close_old_connections()
            check = record_health_check()
            self.stdout.write("up" if check and check.up else "down")
            if not options["loop"]:
                return
            time.sleep(settings.HEALTH_RECORD_SECONDS)
