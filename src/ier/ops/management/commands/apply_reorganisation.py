from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ier.ops.reorganisation import (
    ReorganisationError,
    apply_changes,
    read_changes,
)


class Command(BaseCommand):
    help = (
        "Apply council mergers and abolitions from a CSV (old_gss_code, new_gss_code, "
        "date): pending applications, register entries, postcodes and addresses move "
        "to the successor once the date has come. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="say what would change, change nothing",
        )

    def handle(self, *args, **options):
        try:
            changes = read_changes(options["file"])
            outcomes = apply_changes(changes, dry_run=options["dry_run"])
        except (OSError, ReorganisationError) as exc:
            raise CommandError(str(exc)) from exc
        prefix = "Would move" if options["dry_run"] else "Moved"
        for outcome in outcomes:
            change = outcome.change
            self.stdout.write(
                "%s %s -> %s from %s: %s"
                % (
                    change.old.gss_code,
                    change.old.name,
                    change.new.name,
                    change.day.isoformat(),
                    "recorded" if outcome.recorded else "already recorded",
                )
            )
            if not outcome.due:
                self.stdout.write("  not yet in force: run again on or after that date")
                continue
            self.stdout.write(
                "  %s %d applications, %d addresses, %d postcodes, "
                "%d register entries"
                % (
                    prefix,
                    len(outcome.applications),
                    outcome.addresses,
                    outcome.postcodes,
                    outcome.register_entries,
                )
            )
            if outcome.register_entries_replaced:
                self.stdout.write(
                    "  %d register entries moved earlier were replaced"
                    % outcome.register_entries_replaced
                )
            if outcome.notices:
                self.stdout.write("  %d moved-out notices" % outcome.notices)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
