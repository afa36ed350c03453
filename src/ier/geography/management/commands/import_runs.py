from django.core.management.base import BaseCommand, CommandError

from ier.geography.loading import undo
from ier.geography.models import ImportRun
from ier.geography.reporting import describe_run


class Command(BaseCommand):
    help = "List the address and postcode imports, or undo one (--undo ID)."

    def add_arguments(self, parser):
        parser.add_argument("--undo", type=int, default=None, metavar="ID")
        parser.add_argument("--limit", type=int, default=20)

    def handle(self, *args, **options):
        if options["undo"] is not None:
            run = ImportRun.objects.filter(pk=options["undo"]).first()
            if run is None:
                raise CommandError("There is no import run %d" % options["undo"])
            addresses, areas = undo(run)
            self.stdout.write(
                "Undid run %d: removed %d addresses and %d postcode areas"
                % (run.pk, addresses, areas)
            )
            return
        for run in ImportRun.objects.all()[: options["limit"]]:
            describe_run(self.stdout, run, True, examples=False)
