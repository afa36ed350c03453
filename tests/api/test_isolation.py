"""A token of one authority gets nothing of another, through every endpoint."""

import pytest
from django.utils import timezone

from ier.registration.models import RegisterEntry, Status
from tests.api.factories import (
    bearer,
    councils_of_one_office,
    create_application,
    create_token,
)

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


@pytest.fixture
def office_councils(db):
    return councils_of_one_office()


def test_a_joint_board_token_hands_over_every_council_it_serves(
    client, office_councils
):
    """In Scotland one office registers electors for several councils: a token of
    any of them lists, reads and acknowledges the applications of all of them, and
    nothing of a council another office serves."""
    first, second, elsewhere = office_councils
    ours = [create_application(first), create_application(second)]
    theirs = create_application(elsewhere)
    secret = create_token(first)
    items = client.get("/api/v1/applications", **bearer(secret)).json()["items"]
    assert [(i["reference"], i["authority"]) for i in items] == [
        (ours[0].reference, first.gss_code),
        (ours[1].reference, second.gss_code),
    ]
    assert (
        client.get(
            "/api/v1/applications/%s" % ours[1].reference, **bearer(secret)
        ).status_code
        == 200
    )
    assert (
        client.get(
            "/api/v1/applications/%s" % theirs.reference, **bearer(secret)
        ).status_code
        == 404
    )
    body = client.post(
        "/api/v1/acknowledgements",
        {"references": [a.reference for a in [*ours, theirs]]},
        content_type="application/json",
        **bearer(secret),
    ).json()
    assert body["acknowledged"] == [a.reference for a in ours]
    assert body["not_acknowledged"] == [theirs.reference]
    theirs.refresh_from_db()
    assert theirs.status == Status.VERIFIED
    counts = client.get("/api/v1/counts", **bearer(secret)).json()
    assert counts["by_status"]["downloaded"] == 2
    assert counts["new"] == 0


def test_a_council_with_its_own_office_sees_only_its_own(client, office_councils):
    first, _second, elsewhere = office_councils
    create_application(first)
    own = create_application(elsewhere)
    items = client.get(
        "/api/v1/applications", **bearer(create_token(elsewhere))
    ).json()["items"]
    assert [i["reference"] for i in items] == [own.reference]
