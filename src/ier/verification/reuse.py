"""The "dark red" check: the same National Insurance number on several applications
within a window (NINO_REUSE_THRESHOLD within NINO_REUSE_WINDOW_DAYS)."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from ier.registration.lifecycle import record_events
from ier.registration.models import Application


def window_start(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=settings.NINO_REUSE_WINDOW_DAYS)


def reused_ninos(nino_hashes: Iterable[str], now: datetime.datetime) -> dict[str, int]:
    """For each keyed NINO hash used at least THRESHOLD times in the window, how many
    applications used it."""
    hashes = {h for h in nino_hashes if h}
    if not hashes:
        return {}
    counts = (
        Application.objects.filter(
            nino_hash__in=hashes, submitted_at__gte=window_start(now)
        )
        .values("nino_hash")
        .annotate(applications=Count("pk"))
        .filter(applications__gte=settings.NINO_REUSE_THRESHOLD)
        .values_list("nino_hash", "applications")
    )
    return dict(counts)


def flag_reused(counts: dict[str, int], now: datetime.datetime, actor: str) -> int:
    """Flag every application in the window that used one of these NINOs (earlier
    ones too: the officer needs to see them all), recording an event for each."""
    if not counts:
        return 0
    with transaction.atomic():
        rows = list(
            Application.objects.filter(
                nino_hash__in=list(counts),
                submitted_at__gte=window_start(now),
                nino_reused=False,
            )
            .select_for_update()
            .order_by("pk")
            .values_list("pk", "nino_hash", "status")
        )
        Application.objects.filter(pk__in=[pk for pk, _h, _s in rows]).update(
            nino_reused=True
        )
        record_events(
            [
                (
                    pk,
                    now,
                    actor,
                    "nino_reused",
                    status,
                    status,
                    {
                        "applications": counts[nino_hash],
                        "window_days": settings.NINO_REUSE_WINDOW_DAYS,
                    },
                )
                for pk, nino_hash, status in rows
            ]
        )
    return len(rows)
