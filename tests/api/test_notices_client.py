"""`ier ems-notices` saves every new moved-out notice once and acknowledges it,
even when responses are lost on the way."""

import json

import pytest
from django.utils import timezone

from ier.api import client as ems_client
from ier.api import notices_client
from ier.registration import lifecycle
from ier.registration.models import MovedOutNotice, Status
from tests.api.factories import create_token
from tests.api.transport import DjangoTransport, LosesResponses
from tests.registration.movers import create_home_mover

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_council_token(authorities):
    new, old = authorities
    movers = [create_home_mover(new, old) for _ in range(5)]
    lifecycle.move_locked(
        [m.pk for m in movers],
        Status.DOWNLOADED,
        Status.ACCEPTED,
        "ems:test",
        timezone.now(),
    )
    return create_token(old)


def run(transport, secret, out):
    with ems_client.make_client("http://testserver/api/v1", secret, 5, transport) as c:
        return notices_client.pull_notices(c, out, batch=2, sleep=lambda _s: None)


def test_saves_and_acknowledges_every_notice(old_council_token, tmp_path):
    result = run(DjangoTransport(), old_council_token, tmp_path)
    references = set(MovedOutNotice.objects.values_list("reference", flat=True))
    assert result == {"saved": 5, "acknowledged": 5}
    assert {p.stem for p in tmp_path.glob("*.json")} == references
    saved = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert saved["found_by"] == "previous_address"
    assert not MovedOutNotice.objects.filter(acknowledged_at=None).exists()


@pytest.mark.parametrize("lost", [{1}, {2}, {2, 3}, {4, 6}])
def test_each_notice_saved_once_despite_lost_responses(
    old_council_token, tmp_path, lost
):
    transport = LosesResponses(lost)
    result = run(transport, old_council_token, tmp_path)
    assert transport.lost, "a response was lost"
    assert result["saved"] == 5
    assert len(list(tmp_path.glob("*.json"))) == 5
    assert not MovedOutNotice.objects.filter(acknowledged_at=None).exists()


def test_main_stops_with_1_when_the_service_cannot_be_reached(tmp_path, monkeypatch):
    monkeypatch.setenv("IER_EMS_TOKEN", "ier_sandbox_valid")
    code = notices_client.main(
        ["--url", "http://127.0.0.1:9/api/v1", "--out", str(tmp_path), "--retries", "1"]
    )
    assert code == 1


def test_main_asks_for_a_token(tmp_path, monkeypatch):
    monkeypatch.delenv("IER_EMS_TOKEN", raising=False)
    assert (
        notices_client.main(["--url", "http://x/api/v1", "--out", str(tmp_path)]) == 2
    )
