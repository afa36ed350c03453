"""The `ier worker` loop: verification batches, the periodic sweep, and every other
background task (run through django-tasks-db's own worker)."""

import logging
import os
import socket
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections

from ier.core import tasks_db
from ier.verification.pipeline import Verifier
from ier.verification.sweep import Sweeper
from ier.verification.tasks import QUEUE

logger = logging.getLogger(__name__)

OTHER_TASKS_PER_ROUND = 20
#: How long to wait after the database could not be reached before the next round.
DATABASE_RETRY_SECONDS = 1.0


def default_worker_id() -> str:
    return "%s:%d" % (socket.gethostname()[:40], os.getpid())


class BackgroundWorker:
    def __init__(
        self,
        verifier: Verifier,
        sweeper: Sweeper | None = None,
        poll_seconds: float = 0.5,
        run_other_tasks: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.verifier = verifier
        self.sweeper = sweeper or Sweeper()
        self.poll_seconds = poll_seconds
        self.run_other_tasks = run_other_tasks
        self.clock = clock
        self.running = True
        self.next_sweep = 0.0

    def stop(self, *_args) -> None:
        self.running = False

    def round(self) -> int:
        """One pass: sweep when due, one verification batch, a few other tasks.
        Returns how much work it did (0 when idle)."""
        close_old_connections()
        if self.clock() >= self.next_sweep:
            self.sweeper.sweep()
            self.next_sweep = self.clock() + settings.VERIFICATION_SWEEP_SECONDS
        done = self.verifier.verify_next_batch()
        if self.run_other_tasks:
            done += self.other_tasks()
        return done

    def other_tasks(self) -> int:
        return tasks_db.run_tasks(
            QUEUE, OTHER_TASKS_PER_ROUND, self.verifier.worker[:64]
        )

    def nothing_queued(self) -> bool:
        """No verification task waiting, even one waiting to be retried later."""
        return not tasks_db.waiting(QUEUE).exists()

    def run(self, until_idle: bool = False) -> None:
        logger.info("worker started", extra={"worker": self.verifier.worker})
        while self.running:
            try:
                worked = self.round()
            except (OperationalError, InterfaceError):
                # The database went away (restarted, failing over). The next round's
                # close_old_connections() drops the broken connection; the sweep,
                # run first, gives back any claim this round left in flight.
                logger.warning("database unavailable; the worker tries again")
                self.next_sweep = 0.0
                time.sleep(DATABASE_RETRY_SECONDS)
                continue
            if worked:
                continue
            if until_idle and self.nothing_queued():
                break
            time.sleep(self.poll_seconds)
        logger.info("worker stopped", extra={"worker": self.verifier.worker})
