"""`ier purge`: delete personal data once its retention period is over."""

from dataclasses import asdict

from django.core.management.base import BaseCommand

from ier.ops import retention

LABELS = {
    "applications": "determined applications",
    "evidence_files": "evidence files",
    "register_entries": "register entries not refreshed by their EMS",
    "feedback_comments": "feedback comments",
    "task_results": "finished background task records",
    "sessions": "expired sessions",
    "orphan_evidence_files": "evidence files on disk that no application names",
}


class Command(BaseCommand):
    help = (
        "Delete personal data past its retention period (docs/security.md): "
        "determined applications with their evidence files, stale register copies, "
        "feedback comments, finished task records and expired sessions. Every run "
        "is audited, with counts only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due; change nothing."
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=None,
            help="Rows per transaction (default: PURGE_CHUNK_SIZE applications, "
            "REGISTER_PURGE_CHUNK_SIZE rows of the other tables).",
        )

    def handle(self, *args, dry_run: bool, chunk_size: int | None, **options):
        days = retention.retention_days()
        if dry_run:
            counts = asdict(retention.count_due())
            self.stdout.write("Due for purging (nothing was deleted):")
        else:
            counts = asdict(retention.purge(chunk_size=chunk_size))
            self.stdout.write("Purged:")
        for name, label in LABELS.items():
            period = " (kept %d days)" % days[name] if name in days else ""
            self.stdout.write("  %d %s%s" % (counts[name], label, period))
