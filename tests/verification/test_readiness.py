import httpx
import pytest

from ier.verification import client as client_module

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def forget_reachability():
    client_module._reachability.clear()
    yield
    client_module._reachability.clear()


def answering(status, calls):
    class Transport(httpx.BaseTransport):
        def handle_request(self, request):
            calls.append(request.url.path)
            if status is None:
                raise httpx.ConnectError("refused")
            return httpx.Response(status, json={"status": "ok"})

    return Transport()


def with_transport(monkeypatch, transport):
    original = client_module.IdentityClient.__init__

    def init(self, **kwargs):
        original(self, **kwargs, transport=transport)

    monkeypatch.setattr(client_module.IdentityClient, "__init__", init)


def test_readyz_reports_the_identity_service_when_it_answers(client, monkeypatch):
    calls = []
    with_transport(monkeypatch, answering(200, calls))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": True, "identity_service": True},
    }
    assert calls == ["/v1/health"]


def test_an_unreachable_identity_service_degrades_but_keeps_the_web_tier_ready(
    client, monkeypatch
):
    with_transport(monkeypatch, answering(None, []))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["identity_service"] is False


def test_the_answer_is_remembered_so_probes_do_not_wait_on_the_service(
    client, monkeypatch
):
    calls = []
    with_transport(monkeypatch, answering(503, calls))
    for _ in range(5):
        client.get("/readyz")
    assert len(calls) == 1
