"""`ier purge`: delete determined applications once their retention period is over."""

from django.conf import settings
from django.core.management.base import BaseCommand

from ier.core import retention


class Command(BaseCommand):
    help = (
        "Delete the personal data of applications determined more than "
        "RETENTION_DAYS ago, with their evidence files; each one is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due; change nothing."
        )
        parser.add_argument("--chunk-size", type=int, default=settings.PURGE_CHUNK_SIZE)

    def handle(self, *args, dry_run: bool, chunk_size: int, **options):
        if dry_run:
            due = retention.count_due()
            self.stdout.write(
                "%d applications and %d evidence files are due for purging "
                "(determined more than %d days ago); nothing was deleted."
                % (due.applications, due.evidence_files, settings.RETENTION_DAYS)
            )
            return
        done = retention.purge(chunk_size=chunk_size)
        self.stdout.write(
            "Purged %d applications and %d evidence files."
            % (done.applications, done.evidence_files)
        )
