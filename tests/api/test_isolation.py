"""A token of one authority gets nothing of another, through every endpoint."""

import pytest
from django.utils import timezone

from ier.registration.models import RegisterEntry, Status
from tests.api.factories import bearer, create_application, create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_authority):
    return create_application(other_authority, Status.VERIFIED)


def test_list_never_shows_another_authority(client, secret, theirs):
    for state in ("new", "all"):
        items = client.get("/api/v1/applications", {"state": state}, **bearer(secret))
        assert items.json()["items"] == []


def test_get_is_404_not_403(client, secret, theirs):
    response = client.get(
        "/api/v1/applications/%s" % theirs.reference, **bearer(secret)
    )
    assert response.status_code == 404
    mine_missing = client.get("/api/v1/applications/BBBBBBBBBB", **bearer(secret))
    assert response.json()["detail"] == mine_missing.json()["detail"]


def test_acknowledge_cannot_take_another_authoritys(client, secret, theirs):
    body = client.post(
        "/api/v1/acknowledgements",
        {"references": [theirs.reference]},
        content_type="application/json",
        **bearer(secret),
    ).json()
    assert body["not_acknowledged"] == [theirs.reference]
    theirs.refresh_from_db()
    assert theirs.status == Status.VERIFIED


def test_determination_is_404(client, secret, other_authority):
    theirs = create_application(
        other_authority, Status.DOWNLOADED, downloaded_at=timezone.now()
    )
    response = client.post(
        "/api/v1/applications/%s/determination" % theirs.reference,
        {"outcome": "accepted", "date": timezone.localdate().isoformat()},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.DOWNLOADED


def test_register_upload_replaces_only_own(client, secret, other_authority):
    their_secret = create_token(other_authority)
    text = (
        "elector_number,first_name,middle_names,last_name,date_of_birth,"
        "address_line_1,address_line_2,town,postcode,uprn\nA1,Ann,,X,,,,,,\n"
    )
    client.put(
        "/api/v1/register", text, content_type="text/csv", **bearer(their_secret)
    )
    client.put("/api/v1/register", text, content_type="text/csv", **bearer(secret))
    assert RegisterEntry.objects.for_authority(other_authority).count() == 1


def test_counts_are_own(client, secret, theirs):
    body = client.get("/api/v1/counts", **bearer(secret)).json()
    assert body["new"] == 0
    assert sum(body["by_status"].values()) == 0
