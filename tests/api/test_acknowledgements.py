import pytest

from ier.registration.models import ApplicationEvent, Status
from tests.api.factories import bearer, create_application

pytestmark = pytest.mark.django_db


def acknowledge(client, secret, references):
    return client.post(
        "/api/v1/acknowledgements",
        {"references": references},
        content_type="application/json",
        **bearer(secret),
    )


def test_acknowledged_applications_are_not_new_again(client, authority, secret):
    first, second = create_application(authority), create_application(authority)
    response = acknowledge(client, secret, [first.reference])
    assert response.json() == {
        "acknowledged": [first.reference],
        "already_acknowledged": [],
        "not_acknowledged": [],
    }
    listed = client.get("/api/v1/applications", **bearer(secret)).json()["items"]
    assert [i["reference"] for i in listed] == [second.reference]
    first.refresh_from_db()
    assert first.status == Status.DOWNLOADED
    assert first.downloaded_at is not None


def test_repeat_is_idempotent_and_records_one_event(client, authority, secret):
    app = create_application(authority, Status.NOT_VERIFIED)
    acknowledge(client, secret, [app.reference])
    again = acknowledge(client, secret, [app.reference, app.reference])
    assert again.json() == {
        "acknowledged": [],
        "already_acknowledged": [app.reference],
        "not_acknowledged": [],
    }
    events = ApplicationEvent.objects.filter(application=app, event="downloaded")
    assert [(e.from_status, e.to_status) for e in events] == [
        ("not_verified", "downloaded")
    ]


def test_not_ready_and_unknown_are_not_acknowledged(client, authority, secret):
    checking = create_application(authority, Status.VERIFYING)
    response = acknowledge(client, secret, [checking.reference, "bbbbbbbbbb"])
    assert response.json()["not_acknowledged"] == [checking.reference, "BBBBBBBBBB"]
    checking.refresh_from_db()
    assert checking.status == Status.VERIFYING


def test_empty_and_oversized_batches_are_422(client, secret):
    assert acknowledge(client, secret, []).status_code == 422
    assert acknowledge(client, secret, ["X"] * 1001).status_code == 422


def test_malformed_json_is_400(client, secret):
    response = client.post(
        "/api/v1/acknowledgements",
        "{not json",
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
