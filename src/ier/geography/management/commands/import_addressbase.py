from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ier.geography.layouts import AddressBaseCore, AddressBasePlus
from ier.geography.loading import Loader, read_custodians
from ier.geography.reporting import describe_run


class Command(BaseCommand):
    help = (
        "Load Ordnance Survey AddressBase (Plus or Core CSV). Restartable: run it "
        "again on the same file to resume; a file already loaded is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", type=Path, nargs="+", help="CSV files, or .csv.gz")
        parser.add_argument("--layout", choices=["plus", "core"], default="plus")
        parser.add_argument(
            "--custodians",
            type=Path,
            default=None,
            help="AddressBase Plus: CSV of local custodian code -> GSS code; without "
            "it each address takes the council the postcode directory gives",
        )
        parser.add_argument(
            "--force", action="store_true", help="load a file loaded before"
        )
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes parsing the file (PostgreSQL only); parsing is what "
            "limits one process, so give it the cores PostgreSQL does not need",
        )

    def handle(self, *args, **options):
        try:
            custodians = (
                read_custodians(options["custodians"])
                if options["custodians"]
                else None
            )
            for path in options["files"]:
                layout = (
                    AddressBasePlus()
                    if options["layout"] == "plus"
                    else AddressBaseCore()
                )
                loader = Loader(
                    layout,
                    custodians=custodians,
                    progress=not options["no_progress"],
                    workers=options["workers"],
                )
                run, loaded = loader.load(path, force=options["force"])
                describe_run(self.stdout, run, loaded)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
