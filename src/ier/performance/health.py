"""Health checks recorded over time, and the uptime they show."""

import logging
from datetime import timedelta

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from ier.core.nocache import never_cache
from ier.performance.models import HealthCheck
from ier.verification.client import identity_service_reachable

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        logger.warning("database unavailable")
        return False


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready: the database answers. The identity service is checked too (short
    timeout, answer remembered a few seconds), but only reported as "degraded":
    applications are queued while it is down, so a web node stays in service."""
    checks = {"database": database_answers()}
    ready = all(checks.values())
    checks["identity_service"] = identity_service_reachable()
    status = "ok" if all(checks.values()) else ("degraded" if ready else "unavailable")
    return JsonResponse(
        {"status": status, "checks": checks},
        status=200 if ready else 503,
    )


def record_health_check() -> HealthCheck | None:
    """Check and record; None when the database is down (nothing can be written then,
    and the gap between records is what shows the outage)."""
    identity_ok = identity_service_reachable()
    if not database_answers():
        logger.warning("health check: database unavailable")
        return None
    return HealthCheck.objects.create(database_ok=True, identity_service_ok=identity_ok)


def uptime(days: int, every_seconds: int, now=None) -> float | None:
    """Share of the expected checks in the last `days` that found the service up; a
    missing check (the database or the checker was down) counts as down. None
    before the first check."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    checks = HealthCheck.objects.filter(checked_at__gte=since)
    first = checks.order_by("checked_at").values_list("checked_at", flat=True).first()
    if first is None:
        return None
    expected = max(1, int((now - first).total_seconds() // every_seconds) + 1)
    up = checks.filter(database_ok=True).count()
    return min(1.0, up / expected)
