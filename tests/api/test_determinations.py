from datetime import timedelta

import pytest
from django.utils import timezone

from ier.registration.models import ApplicationEvent, Status
from tests.api.factories import bearer, create_application

pytestmark = pytest.mark.django_db


def determine(client, secret, reference, outcome, on=None):
    on = on or timezone.localdate()
    return client.post(
        "/api/v1/applications/%s/determination" % reference,
        {"outcome": outcome, "date": on.isoformat(), "reason": "checked"},
        content_type="application/json",
        **bearer(secret),
    )


def downloaded(authority, status=Status.DOWNLOADED):
    return create_application(authority, status, downloaded_at=timezone.now())


@pytest.mark.parametrize("outcome", ["accepted", "rejected", "evidence_requested"])
def test_records_each_outcome_with_an_event(client, authority, secret, outcome):
    app = downloaded(authority)
    response = determine(client, secret, app.reference, outcome)
    assert response.status_code == 200
    assert response.json()["status"] == outcome
    event = ApplicationEvent.objects.filter(application=app).last()
    assert (event.event, event.to_status) == ("determination", outcome)
    assert event.actor.startswith("ems:")
    app.refresh_from_db()
    assert (app.determined_at is not None) == (outcome != "evidence_requested")


def test_evidence_then_accepted(client, authority, secret):
    app = downloaded(authority)
    determine(client, secret, app.reference, "evidence_requested")
    assert determine(client, secret, app.reference, "accepted").status_code == 200


def test_repeating_the_same_outcome_is_safe(client, authority, secret):
    app = downloaded(authority)
    determine(client, secret, app.reference, "accepted")
    assert determine(client, secret, app.reference, "accepted").status_code == 200
    assert (
        ApplicationEvent.objects.filter(application=app, event="determination").count()
        == 1
    )


def test_contradiction_is_409(client, authority, secret):
    app = downloaded(authority)
    determine(client, secret, app.reference, "accepted")
    response = determine(client, secret, app.reference, "rejected")
    assert response.status_code == 409
    assert response.json()["current_status"] == "accepted"


def test_before_download_is_409(client, authority, secret):
    app = create_application(authority, Status.VERIFIED)
    assert determine(client, secret, app.reference, "accepted").status_code == 409


def test_future_date_is_422(client, authority, secret):
    app = downloaded(authority)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = determine(client, secret, app.reference, "accepted", tomorrow)
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["body", "date"]


def test_unknown_outcome_is_422(client, authority, secret):
    app = downloaded(authority)
    assert determine(client, secret, app.reference, "maybe").status_code == 422
