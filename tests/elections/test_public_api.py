"""The public elections API and iCalendar feed: no token, cached, rate-limited
across web processes (the limit lives in the shared cache), and described in the
OpenAPI document."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from ier.elections.models import ElectionArea
from ier.geography.models import Address
from tests.elections.factories import create_election, weeks_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return Address.objects.filter(synthetic=True).select_related("authority").first()


@pytest.fixture
def coming(home):
    ahead = create_election([home.authority], weeks_ahead(8), election_id="local.a")
    missed = create_election(
        [home.authority],
        timezone.localdate() + timedelta(days=4),
        election_id="local.b",
    )
    return ahead, missed


def test_elections_at_a_postcode_without_a_token(client, home, coming):
    ahead, _missed = coming
    response = client.get("/api/v1/elections", {"postcode": home.postcode.lower()})
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    body = response.json()
    assert body["postcode"] == home.postcode
    by_id = {e["election_id"]: e for e in body["elections"]}
    assert by_id["local.a"]["open"] is True
    assert by_id["local.b"]["open"] is False
    area = ElectionArea.objects.get(election=ahead)
    assert by_id["local.a"]["deadline_day"] == area.deadline_day.isoformat()
    assert by_id["local.a"]["council"] == home.authority.gss_code
    assert [e["election_id"] for e in body["elections"]] == ["local.b", "local.a"]


def test_bad_and_unknown_postcodes_are_problems(client):
    bad = client.get("/api/v1/elections", {"postcode": "nonsense"})
    assert bad.status_code == 422
    not_in_use = client.get("/api/v1/elections", {"postcode": "QQ1 1CI"})
    assert not_in_use.status_code == 404
    unknown = client.get("/api/v1/elections", {"postcode": "ZE9 9ZZ"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_postcode"
    missing = client.get("/api/v1/elections")
    assert missing.status_code == 422


def test_rate_limited_per_client_address(client, home, settings):
    settings.ELECTIONS_API_REQUESTS_PER_MINUTE = 2
    for _ in range(2):
        ok = client.get("/api/v1/elections", {"postcode": home.postcode})
        assert ok.status_code == 200
    limited = client.get("/api/v1/elections", {"postcode": home.postcode})
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    other = client.get(
        "/api/v1/elections", {"postcode": home.postcode}, REMOTE_ADDR="192.0.2.9"
    )
    assert other.status_code == 200


def test_icalendar_feed_has_one_event_per_deadline(client, home, coming):
    ahead, _missed = coming
    response = client.get("/api/v1/elections.ics", {"postcode": home.postcode})
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    area = ElectionArea.objects.get(election=ahead)
    starts = {e.decoded("dtstart") for e in events}
    assert area.deadline_day in starts
    assert all(str(e["summary"]).startswith("Last day to register") for e in events)
    national = Calendar.from_ical(client.get("/api/v1/elections.ics").content)
    assert len(national.walk("VEVENT")) == 2


def test_described_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operation = paths["/api/v1/elections"]["get"]
    assert "security" not in operation or operation["security"] == []
    assert "/api/v1/elections.ics" in paths


def test_the_rate_limit_is_sixty_a_minute_unless_set(settings):
    from ier.config.settings import base

    assert base.ELECTIONS_API_REQUESTS_PER_MINUTE == 60
