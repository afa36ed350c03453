"""The reference client, `ier ems-pull`."""

import json

import httpx
import pytest

from ier.api import client as ems_client
from ier.registration.models import Application, ApplicationEvent, Status
from tests.api.factories import create_application
from tests.api.transport import DjangoTransport, LosesResponses

pytestmark = pytest.mark.django_db


def no_sleep(seconds):
    return None


def run(transport, secret, out, batch=3):
    with ems_client.make_client("http://testserver/api/v1", secret, 5, transport) as c:
        return ems_client.pull(c, out, batch=batch, sleep=no_sleep)


def test_pulls_saves_and_acknowledges_everything(authority, secret, tmp_path):
    made = {create_application(authority).reference for _ in range(7)}
    result = run(DjangoTransport(), secret, tmp_path)
    assert result == {"saved": 7, "acknowledged": 7}
    assert {p.stem for p in tmp_path.glob("*.json")} == made
    saved = json.loads((tmp_path / ("%s.json" % sorted(made)[0])).read_text())
    assert saved["reference"] == sorted(made)[0]
    statuses = Application.objects.for_authority(authority).values_list(
        "status", flat=True
    )
    assert set(statuses) == {Status.DOWNLOADED}


@pytest.mark.parametrize("lose", [{1}, {2}, {1, 3}, {2, 4, 6}, {1, 2, 3}, {4, 5}])
def test_every_application_handed_over_exactly_once_despite_lost_responses(
    authority, secret, tmp_path, lose
):
    """Some responses (lists and acknowledgements) never reach the client; it times
    out, retries, and still every application is saved once and handed over once."""
    made = {create_application(authority).reference for _ in range(8)}
    transport = LosesResponses(lose)
    result = run(transport, secret, tmp_path)
    assert len(transport.lost) == len(lose)
    assert result["saved"] == 8
    assert {p.stem for p in tmp_path.glob("*.json")} == made
    assert not list(tmp_path.glob("*.partial"))
    downloads = ApplicationEvent.objects.filter(
        application__authority=authority, event="downloaded"
    ).values_list("application__reference", flat=True)
    assert sorted(downloads) == sorted(made)


def test_acknowledgement_lost_after_commit_is_retried_safely(
    authority, secret, tmp_path
):
    made = {create_application(authority).reference for _ in range(2)}

    class LoseTheAcknowledgement(DjangoTransport):
        lost = False

        def handle_request(self, request):
            response = super().handle_request(request)
            if request.method == "POST" and not self.lost:
                self.lost = True
                raise httpx.ReadTimeout("lost", request=request)
            return response

    result = run(LoseTheAcknowledgement(), secret, tmp_path, batch=10)
    assert result == {"saved": 2, "acknowledged": 2}
    assert (
        ApplicationEvent.objects.filter(
            application__reference__in=made, event="downloaded"
        ).count()
        == 2
    )


def test_gives_up_after_retries(secret, tmp_path):
    class AlwaysTimesOut(httpx.BaseTransport):
        def handle_request(self, request):
            raise httpx.ConnectTimeout("down", request=request)

    with pytest.raises(ems_client.PullFailed):
        run(AlwaysTimesOut(), secret, tmp_path)


def test_main_reports_a_refused_token(tmp_path, monkeypatch):
    monkeypatch.delenv("IER_EMS_TOKEN", raising=False)
    assert ems_client.main(["--url", "http://x", "--out", str(tmp_path)]) == 2
