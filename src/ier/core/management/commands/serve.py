from django.core.management.base import BaseCommand

from ier.core.server import serve


class Command(BaseCommand):
    help = (
        "Serve the web tier (citizen journey, officers' portal, EMS API) with gunicorn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=None)

    def handle(self, *args, **options):
        serve(options["bind"], options["workers"])
