from datetime import timedelta

import pytest
from django.utils import timezone

from ier.registration.models import Status
from tests.api.factories import bearer, create_application

pytestmark = pytest.mark.django_db


def test_lists_new_applications_oldest_first_with_verification(
    client, authority, secret
):
    """Only applications ready to hand over are new, each with its result."""
    green = create_application(authority, Status.VERIFIED)
    amber = create_application(authority, Status.PARTIAL)
    create_application(authority, Status.VERIFYING)
    create_application(authority, Status.DOWNLOADED, downloaded_at=timezone.now())
    response = client.get("/api/v1/applications", **bearer(secret))
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["reference"] for i in items] == [green.reference, amber.reference]
    assert [i["verification"]["result"] for i in items] == ["green", "amber"]
    assert items[0]["nino"] == green.nino
    assert response.json()["next_cursor"] is None


def test_cursor_pages_through_without_gaps_or_repeats(client, authority, secret):
    made = [create_application(authority).reference for _ in range(7)]
    seen, cursor = [], None
    for _ in range(10):
        query = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/applications", query, **bearer(secret)).json()
        seen += [i["reference"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == made


def test_filters_by_status_and_time(client, authority, secret):
    old = create_application(
        authority, Status.NOT_VERIFIED, submitted_at=timezone.now() - timedelta(days=3)
    )
    recent = create_application(authority, Status.NOT_VERIFIED)
    create_application(authority, Status.VERIFIED)
    red = client.get(
        "/api/v1/applications", {"status": "not_verified"}, **bearer(secret)
    )
    assert [i["reference"] for i in red.json()["items"]] == [
        old.reference,
        recent.reference,
    ]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    later = client.get(
        "/api/v1/applications",
        {"status": "not_verified", "submitted_after": since},
        **bearer(secret),
    )
    assert [i["reference"] for i in later.json()["items"]] == [recent.reference]


def test_state_all_includes_handed_over(client, authority, secret):
    done = create_application(authority, Status.ACCEPTED, downloaded_at=timezone.now())
    response = client.get("/api/v1/applications", {"state": "all"}, **bearer(secret))
    assert done.reference in [i["reference"] for i in response.json()["items"]]


def test_get_one_application_with_result_after_download(client, authority, secret):
    app = create_application(authority, Status.PARTIAL)
    client.post(
        "/api/v1/acknowledgements",
        {"references": [app.reference]},
        content_type="application/json",
        **bearer(secret),
    )
    response = client.get("/api/v1/applications/%s" % app.reference, **bearer(secret))
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "downloaded"
    assert body["verification"]["result"] == "amber"
    assert body["name"]["last_name"] == "Example"


def test_unknown_reference_is_problem_404(client, secret):
    response = client.get("/api/v1/applications/BBBBBBBBBB", **bearer(secret))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_bad_cursor_is_422(client, secret):
    response = client.get(
        "/api/v1/applications", {"cursor": "nonsense!"}, **bearer(secret)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"][-1] == "cursor"


def test_bad_filter_is_422_with_location(client, secret):
    response = client.get("/api/v1/applications", {"limit": 0}, **bearer(secret))
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"][-1] == "limit"


def test_counts_by_status(client, authority, secret):
    create_application(authority, Status.VERIFIED)
    create_application(authority, Status.NO_NINO)
    create_application(authority, Status.VERIFYING)
    body = client.get("/api/v1/counts", **bearer(secret)).json()
    assert body["new"] == 2
    assert body["by_status"]["verifying"] == 1
    assert body["by_status"]["accepted"] == 0


def test_views_are_audited(client, authority, secret):
    from ier.ero.models import AuditEntry

    app = create_application(authority)
    client.get("/api/v1/applications/%s" % app.reference, **bearer(secret))
    entry = AuditEntry.objects.for_authority(authority).get(action="api.view")
    assert entry.reference == app.reference
    assert entry.actor.startswith("ems:ier_")


def test_unknown_filter_is_422_not_ignored(client, secret):
    response = client.get(
        "/api/v1/applications", {"stauts": "verified"}, **bearer(secret)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["query", "stauts"]


@pytest.mark.parametrize(
    ("moment", "status"),
    [("2026-05-21T04:32:44+21:35", 200), ("9999-12-31T23:00:00-23:00", 422)],
)
def test_unusual_offsets_are_compared_in_utc_or_refused(client, secret, moment, status):
    response = client.get(
        "/api/v1/applications", {"submitted_before": moment}, **bearer(secret)
    )
    assert response.status_code == status
