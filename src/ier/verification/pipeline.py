"""Verifying applications in batches: claim, ask the identity service, record.

1. Claim (one short transaction): take up to a batch of ready verification tasks with
   SELECT ... FOR UPDATE SKIP LOCKED, mark them running, take the second look for
   duplicates among their applications (`duplicates.second_look`), and move them
   from `submitted` to `verifying`, stamping the moment of the claim.
2. Ask the identity service about the whole batch in one request, retrying with
   backoff; no transaction is open meanwhile.
3. Record (one short transaction): move each application that still carries our
   claim to its result, write its Verification, finish the tasks. If the service
   could not answer, release instead: back to `submitted`, tasks failed, and a new
   task queued for each application with a growing delay.

An application is only ever moved by the process whose claim it still carries, so
several workers (or a worker and the sweep) never verify it twice."""

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus as TaskStatus

from ier.core import crypto, tasks_db
from ier.core.inserts import insert_rows
from ier.registration.lifecycle import move_locked, transition_many
from ier.registration.models import Application, Status
from ier.verification import duplicates, reuse
from ier.verification import outcome as outcomes
from ier.verification.client import IdentityClient, IdentityServiceError
from ier.verification.models import Verification
from ier.verification.resilience import CircuitBreaker, backoff_seconds
from ier.verification.tasks import QUEUE, queue_verification, verify_application

logger = logging.getLogger(__name__)

ACTOR = "verification"
FIELDS = (
    "pk",
    "nino_encrypted",
    "nino_hash",
    "date_of_birth",
    "first_name",
    "middle_names",
    "last_name",
    "previous_first_name",
    "previous_middle_names",
    "previous_last_name",
)
PROBE_SIZE = 10


@dataclass
class Batch:
    claimed_at: datetime.datetime
    worker: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    task_ids: list[Any] = field(default_factory=list)
    attempts: dict[int, int] = field(default_factory=dict)

    @property
    def ids(self) -> list[int]:
        return [row["pk"] for row in self.rows]


def _ready_tasks():
    return tasks_db.ready(QUEUE, verify_application.backend)


def claim_applications(batch: Batch, application_ids: list[int]) -> None:
    """Lock the applications still waiting, take the second look for duplicates
    and mark them `verifying` (inside the caller's transaction)."""
    rows = list(
        Application.objects.filter(pk__in=application_ids, status=Status.SUBMITTED)
        .select_for_update(skip_locked=True)
        .order_by("pk")
        .values(*FIELDS)
    )
    duplicates.second_look([row["pk"] for row in rows], batch.claimed_at)
    move_locked(
        [row["pk"] for row in rows],
        Status.SUBMITTED,
        Status.VERIFYING,
        batch.worker,
        batch.claimed_at,
        event="verifying",
    )
    batch.rows = rows


def claim_batch(worker: str, size: int) -> Batch | None:
    """Claim up to `size` ready tasks and their applications (None: none ready).

    A task whose application another transaction holds locked at this moment (a
    worker flagging a reused NINO, say) is left ready for a later claim: taking it
    now would finish the task without verifying the application."""
    with transaction.atomic():
        tasks = list(
            _ready_tasks()
            .select_for_update(skip_locked=True)
            .values_list("pk", "args_kwargs")[:size]
        )
        if not tasks:
            return None
        batch = Batch(claimed_at=timezone.now(), worker=worker)
        wanted = {args["kwargs"]["application_id"] for _pk, args in tasks}
        claim_applications(batch, list(wanted))
        busy = set(
            Application.objects.filter(
                pk__in=wanted - set(batch.ids), status=Status.SUBMITTED
            ).values_list("pk", flat=True)
        )
        for task_id, args in tasks:
            kwargs = args["kwargs"]
            if kwargs["application_id"] in busy:
                continue
            batch.task_ids.append(task_id)
            batch.attempts[kwargs["application_id"]] = max(
                kwargs.get("attempt", 1),
                batch.attempts.get(kwargs["application_id"], 0),
            )
        tasks_db.mark_running(batch.task_ids, batch.claimed_at, worker)
    return batch


def identity_request(row: dict[str, Any]) -> dict[str, Any]:
    dob = row["date_of_birth"]
    return {
        "id": str(row["pk"]),
        "nino": crypto.decrypt(row["nino_encrypted"]),
        "date_of_birth": dob.isoformat() if dob else None,
        **{name: row[name] for name in FIELDS[4:]},
    }


def decide_all(
    batch: Batch, ask: Callable[[list[dict]], list[dict]]
) -> dict[int, outcomes.Outcome]:
    """The outcome for every claimed application; only those with a NINO are sent."""
    decided = {
        row["pk"]: outcomes.no_nino() for row in batch.rows if not row["nino_encrypted"]
    }
    requests = [identity_request(row) for row in batch.rows if row["nino_encrypted"]]
    if requests:
        for answer in ask(requests):
            decided[int(answer["id"])] = outcomes.decide(answer)
    return decided


def _with_reuse(decided: outcomes.Outcome, count: int | None) -> outcomes.Outcome:
    if not count:
        return decided
    check = {
        "check": "nino_reuse",
        "outcome": "reused",
        "count": count,
        "days": settings.NINO_REUSE_WINDOW_DAYS,
    }
    return outcomes.Outcome(decided.result, [*decided.checks, check])


def record(batch: Batch, decided: dict[int, outcomes.Outcome]) -> int:
    """Write the results of a claim; returns how many applications it moved."""
    now = timezone.now()
    counts = reuse.reused_ninos((row["nino_hash"] for row in batch.rows), now)
    hash_of = {row["pk"]: row["nino_hash"] for row in batch.rows}
    final = {pk: _with_reuse(o, counts.get(hash_of[pk])) for pk, o in decided.items()}
    with transaction.atomic():
        owned = list(
            Application.objects.filter(
                pk__in=list(final), status=Status.VERIFYING, updated_at=batch.claimed_at
            )
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for result in {final[pk].result for pk in owned}:
            move_locked(
                [pk for pk in owned if final[pk].result == result],
                Status.VERIFYING,
                result,
                batch.worker,
                now,
                event="verification",
                detail=lambda pk: {
                    "result": final[pk].result,
                    "reasons": final[pk].reason_codes,
                },
            )
        insert_rows(
            Verification,
            ("application", "checked_at", "result", "checks", "worker"),
            [
                (pk, now, final[pk].result, final[pk].checks, batch.worker)
                for pk in owned
            ],
        )
        finish_tasks(batch.task_ids, now, TaskStatus.SUCCESSFUL)
    reuse.flag_reused(counts, now, ACTOR)
    return len(owned)


def finish_tasks(
    task_ids: list[Any],
    at: datetime.datetime,
    status: str,
    error: Exception | None = None,
) -> None:
    if task_ids:
        tasks_db.finish(task_ids, at, status, error)


def release(batch: Batch, error: IdentityServiceError) -> int:
    """Hand the applications back to the queue after the service failed them,
    each with a new task that waits longer the more often it has failed."""
    now = timezone.now()
    with transaction.atomic():
        released = transition_many(
            batch.ids,
            Status.VERIFYING,
            Status.SUBMITTED,
            batch.worker,
            now,
            event="verification_deferred",
            detail={"reason": error.code},
            claimed_at=batch.claimed_at,
        )
        finish_tasks(batch.task_ids, now, TaskStatus.FAILED, error)
        for pk in released:
            attempt = batch.attempts.get(pk, 1)
            delay = backoff_seconds(
                attempt,
                settings.VERIFICATION_REQUEUE_BASE_SECONDS,
                settings.VERIFICATION_REQUEUE_MAX_SECONDS,
            )
            queue_verification(pk, attempt + 1, now + datetime.timedelta(seconds=delay))
    return len(released)


class Verifier:
    """Claims and verifies batches for one worker process, keeping its own circuit
    breaker: after repeated failures it stops calling the identity service and
    probes it again with a small batch once the cool-down has passed."""

    def __init__(
        self,
        worker: str,
        client: IdentityClient | None = None,
        breaker: CircuitBreaker | None = None,
        batch_size: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.worker = worker
        self.client = client or IdentityClient()
        self.breaker = breaker or CircuitBreaker(
            settings.VERIFICATION_BREAKER_FAILURES,
            settings.VERIFICATION_BREAKER_COOLDOWN_SECONDS,
            settings.VERIFICATION_BREAKER_MAX_COOLDOWN_SECONDS,
        )
        self.batch_size = batch_size or settings.VERIFICATION_BATCH_SIZE
        self.sleep = sleep

    def verify_next_batch(self) -> int:
        """Handle one batch of tasks; returns how many tasks it took (0: nothing to do
        now, or the breaker is open)."""
        if not self.breaker.allows_call():
            return 0
        size = PROBE_SIZE if self.breaker.probing else self.batch_size
        batch = claim_batch(self.worker, size)
        if batch is None:
            return 0
        self.verify(batch)
        return len(batch.task_ids)

    def verify(self, batch: Batch) -> int:
        try:
            decided = decide_all(batch, self.ask)
        except IdentityServiceError as error:
            self.breaker.failed()
            logger.warning(
                "identity service failed; batch released",
                extra={"applications": len(batch.rows), "reason": error.code},
            )
            return release(batch, error)
        moved = record(batch, decided)
        logger.info("batch verified", extra={"applications": moved})
        return moved

    def ask(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One batch request, tried again after a short, growing wait if the service
        is unavailable (just once when probing a service that was down)."""
        attempts = (
            1 if self.breaker.probing else settings.VERIFICATION_ATTEMPTS_PER_BATCH
        )
        attempt = 1
        while True:
            try:
                answers = self.client.match_batch(requests)
            except IdentityServiceError:
                if attempt >= attempts:
                    raise
                self.sleep(
                    backoff_seconds(
                        attempt,
                        settings.VERIFICATION_RETRY_BASE_SECONDS,
                        settings.VERIFICATION_RETRY_BASE_SECONDS * 8,
                    )
                )
                attempt += 1
                continue
            self.breaker.succeeded()
            return answers


def verify_one(application_id: int, attempt: int = 1) -> str:
    """The task body when a worker runs verification tasks one at a time."""
    batch = Batch(
        claimed_at=timezone.now(),
        worker="%s:task" % ACTOR,
        attempts={application_id: attempt},
    )
    with transaction.atomic():
        claim_applications(batch, [application_id])
    if not batch.rows:
        return "nothing to do"
    client = IdentityClient()
    try:
        Verifier(batch.worker, client=client).verify(batch)
    finally:
        client.close()
    return Application.objects.values_list("status", flat=True).get(pk=application_id)
