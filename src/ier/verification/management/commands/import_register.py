from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ier.geography.models import Authority
from ier.verification.registers import RegisterFileError, import_register


class Command(BaseCommand):
    help = "Load an authority's electoral register from CSV (the R.csv columns)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--authority", required=True, help="GSS code, e.g. E07000223"
        )
        parser.add_argument("--file", required=True, type=Path)
        parser.add_argument("--chunk-size", type=int, default=5000)
        parser.add_argument(
            "--dry-run", action="store_true", help="read and check only"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="also remove entries that are not in this file",
        )

    def handle(self, *args, **options):
        authority = Authority.objects.filter(
            gss_code=options["authority"].upper()
        ).first()
        if authority is None:
            raise CommandError(
                "No authority has the GSS code %s" % options["authority"]
            )
        if not options["file"].is_file():
            raise CommandError("No such file: %s" % options["file"])
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1")
        try:
            run = import_register(
                authority,
                options["file"],
                options["chunk_size"],
                options["dry_run"],
                options["replace"],
            )
        except RegisterFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "%s%s: %d rows read, %d loaded, %d rejected, %d removed (run %d)"
            % (
                "Dry run, nothing saved. " if run.dry_run else "",
                authority.name,
                run.rows_read,
                run.rows_loaded,
                run.rows_rejected,
                run.rows_removed,
                run.pk,
            )
        )
        for problem in run.problems[:20]:
            self.stdout.write("  row %(row)d: %(problem)s" % problem)
