from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ier.geography.layouts import OnsPostcodeDirectory
from ier.geography.loading import Loader
from ier.geography.models import PostcodeDivision
from ier.geography.reporting import describe_run


class Command(BaseCommand):
    help = (
        "Load the ONS Postcode Directory (postcode -> council, ward, county division "
        "and constituency). Restartable: run it "
        "again on the same file to resume; a file already loaded is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="ONSPD CSV (the whole-UK file), or .csv.gz"
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="the file covers only part of the country: keep postcodes it lacks",
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
        loader = Loader(
            OnsPostcodeDirectory(),
            progress=not options["no_progress"],
            workers=options["workers"],
            replace_directory=not options["partial"],
        )
        try:
            run, loaded = loader.load(options["file"], force=options["force"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        describe_run(self.stdout, run, loaded)
        if loaded:
            # Wards, county divisions and constituencies place by-elections.
            self.stdout.write(
                "  %d postcodes with electoral divisions"
                % PostcodeDivision.objects.filter(import_run=run).count()
            )
