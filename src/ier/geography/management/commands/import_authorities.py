from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ier.geography.importers import (
    default_authorities_file,
    default_scotland_file,
    import_authorities,
)


class Command(BaseCommand):
    help = "Load or update councils and Scottish registration offices from CSV."

    def add_arguments(self, parser):
        parser.add_argument("--authorities", type=Path, default=None)
        parser.add_argument("--scotland", type=Path, default=None)

    def handle(self, *args, **options):
        authorities = options["authorities"] or default_authorities_file()
        scotland = options["scotland"] or default_scotland_file()
        try:
            report = import_authorities(authorities, scotland)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "Authorities: %d created, %d updated, %d rejected"
            % (report.created, report.updated, len(report.rejected))
        )
        for reason in report.rejected:
            self.stdout.write("  rejected: %s" % reason)
