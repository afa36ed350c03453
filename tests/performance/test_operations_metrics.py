"""The gauges the alert rules in deploy/monitoring read (docs/deployment.md)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from prometheus_client import generate_latest

from ier.performance.metrics import registry
from ier.registration.models import Application, Status
from tests.citizen.helpers import ordinary_answers, submit

pytestmark = pytest.mark.django_db


def scrape() -> dict[str, float]:
    values = {}
    for line in generate_latest(registry()).decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


def applications(client, count: int) -> list[Application]:
    for _ in range(count):
        submit(client, ordinary_answers())
    return list(Application.objects.order_by("id"))


def aged(application: Application, hours: float, status: str) -> None:
    Application.objects.filter(pk=application.pk).update(
        status=status, submitted_at=timezone.now() - timedelta(hours=hours)
    )


def test_the_oldest_application_waiting_for_verification_is_measured(client):
    first, second = applications(client, 2)
    aged(first, 3, Status.VERIFIED)
    aged(second, 2, Status.SUBMITTED)
    waited = scrape()["ier_verification_oldest_waiting_seconds"]
    assert 2 * 3600 <= waited < 2 * 3600 + 60


def test_nothing_waiting_for_verification_reads_zero(client):
    (only,) = applications(client, 1)
    aged(only, 5, Status.DOWNLOADED)
    assert scrape()["ier_verification_oldest_waiting_seconds"] == 0


def test_the_oldest_application_no_ems_has_pulled_is_measured(client):
    pulled, waiting, unverified = applications(client, 3)
    aged(pulled, 50, Status.DOWNLOADED)
    Application.objects.filter(pk=pulled.pk).update(downloaded_at=timezone.now())
    aged(waiting, 30, Status.VERIFIED)
    aged(unverified, 40, Status.SUBMITTED)
    ready = scrape()["ier_ems_oldest_ready_seconds"]
    assert 30 * 3600 <= ready < 30 * 3600 + 60


@pytest.mark.parametrize("reachable", [True, False])
def test_whether_the_identity_service_answers(client, reachable):
    with mock.patch(
        "ier.performance.metrics.identity_service_reachable", return_value=reachable
    ):
        assert scrape()["ier_identity_service_up"] == (1 if reachable else 0)
