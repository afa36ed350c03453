"""Per-address limits on the sends that are worth repeating for an attacker."""

import pytest

from ier.registration.models import Application
from tests.api.factories import bearer, create_token, two_authorities
from tests.citizen.helpers import CHECK_ANSWERS, ordinary_answers, walk

pytestmark = pytest.mark.django_db


def test_sign_in_attempts_from_one_address_are_limited(client, settings):
    settings.RATE_LIMITS = {"ero:sign-in": (3, 900)}
    data = {"username": "nobody", "password": "wrong-password"}
    codes = [client.post("/ero/sign-in/", data).status_code for _ in range(4)]
    assert 429 not in codes[:3]
    assert codes[3] == 429


def test_the_limit_is_per_address(client, settings):
    settings.RATE_LIMITS = {"ero:sign-in": (1, 900)}
    data = {"username": "nobody", "password": "wrong-password"}
    client.post("/ero/sign-in/", data, REMOTE_ADDR="192.0.2.1")
    assert (
        client.post("/ero/sign-in/", data, REMOTE_ADDR="192.0.2.1").status_code == 429
    )
    assert (
        client.post("/ero/sign-in/", data, REMOTE_ADDR="192.0.2.2").status_code != 429
    )


def test_reading_a_limited_page_is_not_counted(client, settings):
    settings.RATE_LIMITS = {"ero:sign-in": (1, 900)}
    for _ in range(3):
        assert client.get("/ero/sign-in/").status_code == 200


def test_applications_from_one_address_are_limited(client, settings):
    settings.RATE_LIMITS = {"registration:check": (1, 3600)}
    walk(client, ordinary_answers())
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    walk(client, ordinary_answers())
    response = client.post(CHECK_ANSWERS, {"declaration": "on"})
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert Application.objects.count() == 1
    # The answers are still in the cookie: nothing the person typed is lost.
    assert client.get(CHECK_ANSWERS).status_code == 200


def test_api_requests_from_one_address_are_limited_as_problem_details(client, settings):
    settings.RATE_LIMITS = {"api:*": (2, 60)}
    authority, other = two_authorities()
    first, second = create_token(authority), create_token(other)
    assert client.get("/api/v1/applications", **bearer(first)).status_code == 200
    assert client.get("/api/v1/applications", **bearer(second)).status_code == 200
    response = client.get("/api/v1/applications", **bearer(first))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429


def test_api_requests_per_token_are_limited(client, settings):
    settings.EMS_API_REQUESTS_PER_MINUTE = 1
    authority, _other = two_authorities()
    secret = create_token(authority)
    assert client.get("/api/v1/applications", **bearer(secret)).status_code == 200
    assert client.get("/api/v1/applications", **bearer(secret)).status_code == 429


def test_an_address_the_client_wrote_itself_is_not_believed(client, settings):
    """With one load balancer in front, only the hop it appended counts."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {"ero:sign-in": (1, 900)}
    data = {"username": "nobody", "password": "wrong-password"}
    client.post("/ero/sign-in/", data, HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.9")
    spoofed = client.post(
        "/ero/sign-in/", data, HTTP_X_FORWARDED_FOR="198.51.100.2, 192.0.2.9"
    )
    assert spoofed.status_code == 429
    other = client.post("/ero/sign-in/", data, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert other.status_code != 429
