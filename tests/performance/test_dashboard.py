"""The public performance page and the operators' metrics."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from ier.performance.health import record_health_check, uptime
from ier.performance.models import Feedback, HealthCheck
from ier.registration.models import ApplicationEvent, Status
from tests.citizen.helpers import ordinary_answers, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures():
    cache.clear()
    yield
    cache.clear()


def an_application(client):
    submit(client, ordinary_answers())
    from ier.registration.models import Application

    return Application.objects.latest("id")


def verified(application, minutes):
    ApplicationEvent.objects.create(
        application=application,
        actor="verification",
        event="verified",
        from_status=Status.VERIFYING,
        to_status=Status.VERIFIED,
        at=application.submitted_at + timedelta(minutes=minutes),
    )


def test_the_page_shows_applications_outcomes_time_to_verify_and_satisfaction(
    client,
):
    verified(an_application(client), minutes=3)
    Feedback.objects.create(rating=5)
    Feedback.objects.create(rating=4)
    record_health_check()
    page = client.get("/performance/").content.decode()
    assert "Applications in the last 24 hours, by hour" in page
    assert "half within 3.0 minutes" in page
    assert "4.5 out of 5, from 2 answers" in page
    assert "available for 100.0% of the last 24 hours" in page
    assert "<svg" in page and "<table" in page


def test_the_page_is_in_welsh_under_cy(client):
    page = client.get("/cy/performance/").content.decode()
    assert 'lang="cy"' in page
    assert "Cofrestru i bleidleisio: perfformiad" in page


def test_an_empty_service_says_so(client):
    page = client.get("/performance/").content.decode()
    assert "No identity checks in the last 30 days." in page
    assert "No health checks recorded yet." in page


def test_missing_health_checks_count_as_downtime():
    now = timezone.now()
    for minutes in (0, 1, 4):  # checks every minute, two missed
        HealthCheck.objects.create(
            checked_at=now - timedelta(minutes=4 - minutes),
            database_ok=True,
            identity_service_ok=True,
        )
    assert uptime(1, 60, now) == pytest.approx(3 / 5)


def test_metrics_need_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-token-for-tests"
    assert client.get("/metrics", check=False).status_code == 404
    assert (
        client.get(
            "/metrics", HTTP_AUTHORIZATION="Bearer wrong", check=False
        ).status_code
        == 404
    )
    response = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-tests", check=False
    )
    assert response.status_code == 200
    assert "ier_requests_in_flight" in response.content.decode()


def test_metrics_are_off_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert (
        client.get("/metrics", HTTP_AUTHORIZATION="Bearer ", check=False).status_code
        == 404
    )
