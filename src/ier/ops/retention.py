"""Retention: personal data is deleted once the service no longer needs it.

- An application, once the council has decided on it and RETENTION_DAYS have passed,
  with everything that hangs off it (events, notes, evidence requests and the
  evidence files on disk, verification records, duplicate checks). Each leaves one
  audit row naming its reference and council only.
- The copy of a council's electoral register (register entries, sent by its EMS)
  once it has not been refreshed for REGISTER_RETENTION_DAYS: a copy that old is
  out of date, and the EMS sends a fresh one whenever it wants the checks back.
  Each chunk leaves an audit row for its council with the count.
- Comments in satisfaction feedback after FEEDBACK_RETENTION_DAYS (free text, which
  people may fill with personal details); the rating, language and date stay for
  the performance page.
- Finished background task records after TASK_RESULT_RETENTION_DAYS: which emails
  were sent to which application, and the tracebacks of failed sends.
- Expired sessions (an officer's session remembers their recent searches).
- Evidence files on disk that no row names (an upload whose transaction rolled back
  after the file was written), once a day old, so an upload in progress is safe.

Every run leaves one audit row with the counts (no personal data). Work goes in
chunks, each in its own transaction, so a purge stopped half way is finished by
running it again."""

import logging
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from importlib import import_module
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ier.core import tasks_db
from ier.ero.models import AuditEntry, EvidenceFile
from ier.performance.models import Feedback
from ier.registration.models import Application, RegisterEntry, Status

logger = logging.getLogger(__name__)

PURGE_ACTOR = "system:retention"
#: How ier.ero.evidence names a stored file: 40 hex digits, under its first two.
STORED_NAME = re.compile(r"[0-9a-f]{40}")
ORPHAN_GRACE = timedelta(days=1)


@dataclass
class PurgeResult:
    applications: int = 0
    evidence_files: int = 0
    register_entries: int = 0
    feedback_comments: int = 0
    task_results: int = 0
    sessions: int = 0
    orphan_evidence_files: int = 0


def _cutoff(days: int, now: datetime | None) -> datetime:
    return (now or timezone.now()) - timedelta(days=days)


def purge_cutoff(now: datetime | None = None) -> datetime:
    return _cutoff(settings.RETENTION_DAYS, now)


def retention_days() -> dict[str, int]:
    """The periods in force, as each run's audit row records them."""
    return {
        "applications": settings.RETENTION_DAYS,
        "register_entries": settings.REGISTER_RETENTION_DAYS,
        "feedback_comments": settings.FEEDBACK_RETENTION_DAYS,
        "task_results": settings.TASK_RESULT_RETENTION_DAYS,
    }


def applications_due(now: datetime | None = None) -> QuerySet[Application]:
    """Determined applications whose retention period has passed. One determined
    without a recorded time (an older row) counts from its last change."""
    cutoff = purge_cutoff(now)
    return Application.objects.filter(status__in=Status.DECIDED).filter(
        Q(determined_at__lt=cutoff)
        | Q(determined_at__isnull=True, updated_at__lt=cutoff)
    )


def register_entries_due(now: datetime | None = None) -> QuerySet[RegisterEntry]:
    """Entries of register copies that their EMS has not refreshed in time."""
    cutoff = _cutoff(settings.REGISTER_RETENTION_DAYS, now)
    return RegisterEntry.objects.filter(loaded_at__lt=cutoff)


def feedback_comments_due(now: datetime | None = None) -> QuerySet[Feedback]:
    cutoff = _cutoff(settings.FEEDBACK_RETENTION_DAYS, now)
    return Feedback.objects.filter(submitted_at__lt=cutoff).exclude(comment="")


def task_results_due(now: datetime | None = None) -> QuerySet[DBTaskResult]:
    """Finished task records; ones waiting or running are the queue itself."""
    cutoff = _cutoff(settings.TASK_RESULT_RETENTION_DAYS, now)
    return tasks_db.finished_before(cutoff)


def _session_model():
    """The session table, when sessions live in the database (the default)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return store.get_model_class() if hasattr(store, "get_model_class") else None


def _sessions_due(now: datetime | None = None) -> QuerySet | None:
    """Expired sessions, or None when they are not kept in the database (a cache
    expires its own)."""
    model = _session_model()
    if model is None:
        return None
    return model.objects.filter(expire_date__lt=now or timezone.now())


def _stored_files(older_than: datetime) -> Iterator[Path]:
    root = Path(settings.EVIDENCE_DIR)
    if not root.is_dir():
        return
    for path in root.glob("??/*"):
        if (
            STORED_NAME.fullmatch(path.name)
            and path.parent.name == path.name[:2]
            and path.is_file()
            and path.stat().st_mtime < older_than.timestamp()
        ):
            yield path


def orphan_evidence_files(
    now: datetime | None = None, batch: int = 1000
) -> Iterator[Path]:
    """Stored evidence files, a day old or more, that no EvidenceFile row names."""
    files = _stored_files((now or timezone.now()) - ORPHAN_GRACE)
    while paths := {path.name: path for path in islice(files, batch)}:
        known = set(
            EvidenceFile.objects.filter(stored_name__in=list(paths)).values_list(
                "stored_name", flat=True
            )
        )
        yield from (path for name, path in paths.items() if name not in known)


def count_due(now: datetime | None = None) -> PurgeResult:
    due = applications_due(now)
    sessions = _sessions_due(now)
    return PurgeResult(
        applications=due.count(),
        evidence_files=EvidenceFile.objects.filter(application__in=due).count(),
        register_entries=register_entries_due(now).count(),
        feedback_comments=feedback_comments_due(now).count(),
        task_results=task_results_due(now).count(),
        sessions=sessions.count() if sessions is not None else 0,
        orphan_evidence_files=sum(1 for _ in orphan_evidence_files(now)),
    )


def purge(now: datetime | None = None, chunk_size: int | None = None) -> PurgeResult:
    """Delete everything due; returns what went. `chunk_size` rows go per
    transaction (by default PURGE_CHUNK_SIZE applications, and
    REGISTER_PURGE_CHUNK_SIZE rows of the larger, simpler tables)."""
    result = PurgeResult()
    size = chunk_size or settings.PURGE_CHUNK_SIZE
    while chunk := list(
        applications_due(now)
        .order_by("pk")
        .values_list("pk", "reference", "authority_id")[:size]
    ):
        result.evidence_files += _purge_applications(chunk)
        result.applications += len(chunk)
    bulk = chunk_size or settings.REGISTER_PURGE_CHUNK_SIZE
    result.register_entries = _purge_register_entries(now, bulk)
    result.task_results = _delete_in_chunks(task_results_due(now), bulk)
    sessions = _sessions_due(now)
    result.sessions = _delete_in_chunks(sessions, bulk) if sessions is not None else 0
    for path in list(orphan_evidence_files(now)):
        path.unlink(missing_ok=True)
        result.orphan_evidence_files += 1
    with transaction.atomic():
        result.feedback_comments = feedback_comments_due(now).update(comment="")
        AuditEntry.objects.create(
            authority=None,
            actor=PURGE_ACTOR,
            action="purge_run",
            detail={"purged": asdict(result), "retention_days": retention_days()},
        )
    logger.info("retention purge finished", extra=asdict(result))
    return result


def _purge_applications(chunk: list[tuple[int, str, int]]) -> int:
    pks = [pk for pk, _reference, _authority in chunk]
    with transaction.atomic():
        files = EvidenceFile.objects.filter(application_id__in=pks).count()
        # Evidence files leave the disk through the post_delete receiver (ier.ero).
        Application.objects.filter(pk__in=pks).delete()
        AuditEntry.objects.bulk_create(
            AuditEntry(
                authority_id=authority_id,
                actor=PURGE_ACTOR,
                action="purge",
                reference=reference,
                detail={"retention_days": settings.RETENTION_DAYS},
            )
            for _pk, reference, authority_id in chunk
        )
    return files


def _purge_register_entries(now: datetime | None, size: int) -> int:
    """Each council's stale copy goes in chunks; each chunk is audited for its
    council with how many entries went."""
    purged = 0
    due = register_entries_due(now)
    authorities = due.order_by().values_list("authority_id", flat=True).distinct()
    for authority_id in list(authorities):
        for pks in _pk_chunks(due.filter(authority_id=authority_id), size):
            with transaction.atomic():
                RegisterEntry.objects.filter(pk__in=pks).delete()
                AuditEntry.objects.create(
                    authority_id=authority_id,
                    actor=PURGE_ACTOR,
                    action="purge_register",
                    detail={
                        "entries": len(pks),
                        "retention_days": settings.REGISTER_RETENTION_DAYS,
                    },
                )
            purged += len(pks)
    return purged


def _pk_chunks(due: QuerySet, size: int) -> Iterator[list[Any]]:
    """The keys of the rows due, `size` at a time in key order. Each chunk starts
    after the last key of the one before, so the rows just deleted (dead until the
    database vacuums them) are not scanned again."""
    page = due
    while pks := list(page.order_by("pk").values_list("pk", flat=True)[:size]):
        yield pks
        page = due.filter(pk__gt=pks[-1])


def _delete_in_chunks(due: QuerySet, size: int) -> int:
    deleted = 0
    for pks in _pk_chunks(due, size):
        with transaction.atomic():
            due.model.objects.filter(pk__in=pks).delete()
        deleted += len(pks)
    return deleted
