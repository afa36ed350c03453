"""Retention: an application's personal data is kept until the council has decided
on it and the retention period (RETENTION_DAYS) has passed, then deleted with
everything that hangs off it (events, notes, evidence requests and the evidence
files on disk, verification records). Each purged application leaves one audit
row naming its reference and council only.

Work goes in chunks, each in its own transaction, so a purge stopped half way is
finished by running it again."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ier.ero.models import AuditEntry, EvidenceFile
from ier.registration.models import Application, Status

logger = logging.getLogger(__name__)

DETERMINED = (Status.ACCEPTED, Status.REJECTED)
PURGE_ACTOR = "system:retention"


@dataclass
class PurgeResult:
    applications: int = 0
    evidence_files: int = 0


def purge_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.RETENTION_DAYS)


def applications_due(now: datetime | None = None) -> QuerySet[Application]:
    """Determined applications whose retention period has passed. One determined
    without a recorded time (an older row) counts from its last change."""
    cutoff = purge_cutoff(now)
    return Application.objects.filter(status__in=DETERMINED).filter(
        Q(determined_at__lt=cutoff)
        | Q(determined_at__isnull=True, updated_at__lt=cutoff)
    )


def count_due(now: datetime | None = None) -> PurgeResult:
    due = applications_due(now)
    return PurgeResult(
        applications=due.count(),
        evidence_files=EvidenceFile.objects.filter(application__in=due).count(),
    )


def purge(now: datetime | None = None, chunk_size: int | None = None) -> PurgeResult:
    """Delete every application due; returns what went."""
    size = chunk_size or settings.PURGE_CHUNK_SIZE
    result = PurgeResult()
    while True:
        chunk = list(
            applications_due(now)
            .order_by("pk")
            .values_list("pk", "reference", "authority_id")[:size]
        )
        if not chunk:
            break
        result.evidence_files += _purge_chunk(chunk)
        result.applications += len(chunk)
    logger.info(
        "retention purge finished",
        extra={
            "applications": result.applications,
            "evidence_files": result.evidence_files,
        },
    )
    return result


def _purge_chunk(chunk: list[tuple[int, str, int]]) -> int:
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
