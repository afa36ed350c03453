"""The periodic sweep: the application row, not the queue, says what is left to do.

Two ways an application could be forgotten, and what the sweep does about each:
- a worker claimed it (`verifying`) and died: after VERIFICATION_STUCK_SECONDS the
  claim is given up, the application goes back to `submitted` and is queued again;
- its task never existed or was lost: an application `submitted` for that long with
  no ready or running task is queued again.
The sweep walks the waiting applications a page at a time, continuing where it left
off, so a long backlog is covered over a few sweeps without one big query."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ier.core import tasks_db
from ier.registration.lifecycle import move_locked, record_events
from ier.registration.models import Application, Status
from ier.verification.tasks import QUEUE, queue_verification

logger = logging.getLogger(__name__)

ACTOR = "verification sweep"
PAGE = 1000


class ClaimAbandoned(Exception):
    """Recorded on a task whose worker stopped before finishing it."""


@dataclass
class SweepReport:
    reclaimed: int = 0
    requeued: int = 0


class Sweeper:
    def __init__(self, page: int = PAGE):
        self.page = page
        self.after_pk = 0

    def sweep(self, now: datetime.datetime | None = None) -> SweepReport:
        now = now or timezone.now()
        cutoff = now - datetime.timedelta(seconds=settings.VERIFICATION_STUCK_SECONDS)
        report = SweepReport(
            self.reclaim_abandoned(now, cutoff), self.requeue_orphans(now, cutoff)
        )
        if report.reclaimed or report.requeued:
            logger.warning(
                "sweep queued applications again",
                extra={"reclaimed": report.reclaimed, "requeued": report.requeued},
            )
        return report

    def reclaim_abandoned(
        self, now: datetime.datetime, cutoff: datetime.datetime
    ) -> int:
        with transaction.atomic():
            stuck = list(
                Application.objects.filter(
                    status=Status.VERIFYING, updated_at__lt=cutoff
                )
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[: self.page]
            )
            move_locked(
                stuck,
                Status.VERIFYING,
                Status.SUBMITTED,
                ACTOR,
                now,
                event="verification_requeued",
                detail={"reason": "claim_abandoned"},
            )
            tasks_db.fail_running(
                QUEUE, cutoff, now, "%s.%s" % (__name__, ClaimAbandoned.__name__)
            )
            for pk in stuck:
                queue_verification(pk)
        return len(stuck)

    def requeue_orphans(self, now: datetime.datetime, cutoff: datetime.datetime) -> int:
        waiting = list(
            Application.objects.filter(
                status=Status.SUBMITTED, updated_at__lt=cutoff, pk__gt=self.after_pk
            )
            .order_by("pk")
            .values_list("pk", flat=True)[: self.page]
        )
        self.after_pk = waiting[-1] if len(waiting) == self.page else 0
        if not waiting:
            return 0
        queued = set(
            tasks_db.waiting(QUEUE)
            .filter(args_kwargs__kwargs__application_id__in=waiting)
            .values_list("args_kwargs__kwargs__application_id", flat=True)
        )
        orphans = [pk for pk in waiting if pk not in queued]
        with transaction.atomic():
            for pk in orphans:
                queue_verification(pk)
            record_events(
                [
                    (
                        pk,
                        now,
                        ACTOR,
                        "verification_requeued",
                        Status.SUBMITTED,
                        Status.SUBMITTED,
                        {"reason": "no_task"},
                    )
                    for pk in orphans
                ]
            )
        return len(orphans)
