from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ier.elections.formats import FORMATS
from ier.elections.importing import import_elections, undo
from ier.elections.models import ElectionImport

#: What to do about the skipped rows a load can be asked to take after all.
ADVICE = {
    "unknown_area": "load the postcode directory with its constituencies (pcon) "
    "by ier import-onspd, then this file again with --force",
    "devolved_constituency": "the postcode directory has no Scottish Parliament or "
    "Senedd constituencies: load the by-election from a council CSV naming the "
    "councils it covers (docs/elections.md)",
    "unknown_council": "a county council's polls: load them from a council CSV "
    "naming its district councils; another council: add its code to "
    "src/ier/elections/data/everyelection_organisations.csv",
}


class Command(BaseCommand):
    help = (
        "Load elections from an EveryElection JSON export or a council's CSV; "
        "--list the loads, or --undo ID one."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--format", choices=sorted(FORMATS), default=None)
        parser.add_argument("--force", action="store_true")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--list", action="store_true")
        parser.add_argument("--undo", type=int, default=None, metavar="ID")

    def handle(self, *args, **options):
        if options["undo"] is not None:
            run = ElectionImport.objects.filter(pk=options["undo"]).first()
            if run is None:
                raise CommandError("There is no elections import %d" % options["undo"])
            removed = undo(run)
            self.stdout.write("Undid run %d: removed %d elections" % (run.pk, removed))
            return
        if options["list"]:
            for run in ElectionImport.objects.all()[:20]:
                self._describe(run)
            return
        if options["file"] is None:
            raise CommandError("Give a file to load, --list or --undo ID")
        try:
            outcome = import_elections(
                options["file"],
                options["format"],
                force=options["force"],
                dry_run=options["dry_run"],
            )
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError("Cannot load %s: %s" % (options["file"], exc)) from exc
        if not outcome.loaded:
            self.stdout.write(
                "%s was loaded in full before (run %d); use --force to load it again"
                % (outcome.run.file_name, outcome.run.pk)
            )
            return
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved")
        self._describe(outcome.run)

    def _describe(self, run: ElectionImport) -> None:
        self.stdout.write(
            "Run %s, %s %s: %s; %d read, %d created, %d updated, %d skipped"
            % (
                run.pk or "-",
                run.format,
                run.file_name,
                run.state,
                run.rows_read,
                run.created,
                run.updated,
                run.rows_skipped,
            )
        )
        for reason, entry in sorted(run.skipped.items()):
            self.stdout.write(
                "  skipped %d: %s (%s)"
                % (
                    entry["count"],
                    reason.replace("_", " "),
                    ", ".join(entry["examples"]),
                )
            )
            if reason in ADVICE:
                self.stdout.write("    %s" % ADVICE[reason])
