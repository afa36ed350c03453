import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ier.geography.importers import (
    default_authorities_file,
    default_scotland_file,
    import_authorities,
)

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Load or update councils and Scottish registration offices from CSV."

    def add_arguments(self, parser):
        parser.add_argument("--authorities", type=Path, default=None)
        parser.add_argument("--scotland", type=Path, default=None)
        parser.add_argument(
            "--overwrite-local-edits",
            action="store_true",
            help="Replace contact details a manager set in the portal with the file's",
        )

    def handle(self, *args, **options):
        authorities = options["authorities"] or default_authorities_file()
        scotland = options["scotland"] or default_scotland_file()
        try:
            report = import_authorities(
                authorities, scotland, options["overwrite_local_edits"]
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "Authorities: %d created, %d updated, %d rejected"
            % (report.created, report.updated, len(report.rejected))
        )
        for reason in report.rejected:
            self.stdout.write("  rejected: %s" % reason)
        if report.kept_local_edits:
            self.stdout.write(
                "Kept the contact details of %d set in the portal (replace them with "
                "--overwrite-local-edits): %s"
                % (len(report.kept_local_edits), ", ".join(report.kept_local_edits))
            )
        if report.replaced_local_edits:
            logger.warning(
                "contact details set in the portal replaced from the councils file",
                extra={"councils": report.replaced_local_edits},
            )
            self.stdout.write(
                "Replaced the contact details of %d set in the portal: %s"
                % (
                    len(report.replaced_local_edits),
                    ", ".join(report.replaced_local_edits),
                )
            )
