"""Prometheus metrics read at scrape time: application counts from the database (the
same on every node) and this node's requests in flight."""

from django.db.models import Count
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily

from ier.core.admission import node_counter
from ier.performance.models import HealthCheck
from ier.registration.models import Application


class ServiceCollector:
    def collect(self):
        by_status = GaugeMetricFamily(
            "ier_applications", "Applications by status", labels=["status"]
        )
        rows = Application.objects.values_list("status").annotate(n=Count("id"))
        for status, count in rows:
            by_status.add_metric([status], count)
        yield by_status
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
