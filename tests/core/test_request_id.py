"""Every response names its request: the load balancer's X-Request-Id when it is
well formed, else one made here."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_load_balancers_request_id_is_kept(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc123-DEF456")
    assert response["X-Request-Id"] == "abc123-DEF456"


@pytest.mark.parametrize("given", ["", "short", "has spaces in it", "x" * 65])
def test_a_malformed_request_id_is_replaced(client, given):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    made = response["X-Request-Id"]
    assert made != given
    assert len(made) == 32 and made.isalnum()
