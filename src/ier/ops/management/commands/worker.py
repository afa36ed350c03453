import logging
import signal

from django.core.management.base import BaseCommand

from ier.ops.worker import BackgroundWorker, default_worker_id
from ier.verification.pipeline import Verifier


class Command(BaseCommand):
    help = "Run the background worker: verification in batches, the sweep, other tasks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--worker-id", default="", help="unique per worker (default host:pid)"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="applications per identity request (default from settings)",
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=0.5,
            help="seconds to wait when there is nothing to do",
        )
        parser.add_argument(
            "--until-idle",
            action="store_true",
            help="exit once no verification is queued (benchmarks, batch runs)",
        )
        parser.add_argument(
            "--verification-only",
            action="store_true",
            help="leave other background tasks to other workers",
        )

    def handle(self, *args, **options):
        # django-tasks-db logs each of its short runs at INFO; ours says what matters.
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        verifier = Verifier(
            options["worker_id"] or default_worker_id(),
            batch_size=options["batch_size"],
        )
        worker = BackgroundWorker(
            verifier,
            poll_seconds=options["poll"],
            run_other_tasks=not options["verification_only"],
        )
        signal.signal(signal.SIGTERM, worker.stop)
        signal.signal(signal.SIGINT, worker.stop)
        worker.run(until_idle=options["until_idle"])
