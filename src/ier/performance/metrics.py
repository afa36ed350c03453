"""Prometheus metrics read at scrape time: application counts and ages from the
database (the same on every node), whether the identity service answers, and this
node's requests in flight. deploy/monitoring's alert rules read these names."""

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily

from ier.core.admission import node_counter
from ier.performance.models import HealthCheck
from ier.registration.handover import READY
from ier.registration.models import Application, Status
from ier.verification.client import identity_service_reachable

WAITING_FOR_VERIFICATION = [Status.SUBMITTED, Status.VERIFYING]


def _seconds_since_oldest(applications) -> float:
    oldest = applications.aggregate(oldest=Min("submitted_at"))["oldest"]
    return (timezone.now() - oldest).total_seconds() if oldest else 0.0


class ServiceCollector:
    def collect(self):
        by_status = GaugeMetricFamily(
            "ier_applications", "Applications by status", labels=["status"]
        )
        rows = Application.objects.values_list("status").annotate(n=Count("id"))
        for status, count in rows:
            by_status.add_metric([status], count)
        yield by_status
        yield GaugeMetricFamily(
            "ier_verification_oldest_waiting_seconds",
            "Age of the oldest application not yet verified (0: none waiting)",
            value=_seconds_since_oldest(
                Application.objects.filter(status__in=WAITING_FOR_VERIFICATION)
            ),
        )
        yield GaugeMetricFamily(
            "ier_ems_oldest_ready_seconds",
            "Age of the oldest verified application no EMS has pulled (0: none)",
            value=_seconds_since_oldest(
                Application.objects.filter(status__in=READY, downloaded_at__isnull=True)
            ),
        )
        yield GaugeMetricFamily(
            "ier_identity_service_up",
            "Whether the identity service answers its health check (1) or not (0)",
            value=1 if identity_service_reachable() else 0,
        )
        last = HealthCheck.objects.order_by("-checked_at").first()
        if last:
            yield GaugeMetricFamily(
                "ier_last_health_check_timestamp_seconds",
                "When the last health check was recorded",
                value=last.checked_at.timestamp(),
            )
        yield GaugeMetricFamily(
            "ier_requests_in_flight",
            "Requests in flight on this web node (admission control's count)",
            value=node_counter().total(),
        )


def registry() -> CollectorRegistry:
    collectors = CollectorRegistry()
    collectors.register(ServiceCollector())
    return collectors
