"""Every kind of response carries the browser protections: a citizen page, a portal
page and an EMS API response."""

import os
import subprocess
import sys

import pytest

from tests.api.factories import bearer, create_token, two_authorities
from tests.security.conftest import PRODUCTION_SECRETS

pytestmark = pytest.mark.django_db

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_protected(response):
    for name, value in COMMON_HEADERS.items():
        assert response[name] == value, name
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert len(response["X-Request-Id"]) >= 8
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    # No inline script at all: not even one allowed by a nonce or a hash.
    assert policy["script-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
        assert "*" not in policy[directive]


def test_a_citizen_page_carries_every_protection(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_protected(response)


def test_a_journey_page_is_never_cached(client):
    response = client.get("/status/")
    assert "no-store" in response["Cache-Control"]


def test_a_portal_page_carries_every_protection(client):
    response = client.get("/ero/sign-in/")
    assert response.status_code == 200
    assert_protected(response)


def test_an_api_response_carries_every_protection(client):
    authority, _other = two_authorities()
    response = client.get("/api/v1/applications", **bearer(create_token(authority)))
    assert response.status_code == 200
    assert_protected(response)


def test_an_api_refusal_carries_every_protection(client):
    response = client.get("/api/v1/applications")
    assert response.status_code == 401
    assert_protected(response)


def test_the_journey_cookie_is_httponly_and_same_site(client):
    response = client.get("/register/start/")
    cookie = response.cookies["ier_answers"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_the_journey_cookie_is_secure_where_cookies_must_be(client, settings):
    settings.COOKIE_SECURE = True
    response = client.get("/register/start/")
    assert response.cookies["ier_answers"]["secure"]


PRODUCTION_PROBE = """
from django.conf import settings
import django
django.setup()
print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
      settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE,
      settings.CSRF_COOKIE_SECURE, settings.COOKIE_SECURE,
      settings.SESSION_COOKIE_HTTPONLY, settings.CSRF_COOKIE_HTTPONLY,
      settings.SESSION_COOKIE_SAMESITE, settings.DEBUG)
"""


def test_production_settings_turn_on_hsts_and_secure_cookies(tmp_path):
    """Loads the production settings in a fresh process, as a deployment would."""
    environment = {
        **os.environ,
        **PRODUCTION_SECRETS,
        "IER_EMAIL_BACKEND": "ier.registration.notify.NotifyEmailBackend",
        "DATABASE_URL": "sqlite:///%s" % (tmp_path / "db.sqlite3"),
        "IER_VAR_DIR": str(tmp_path),
    }
    environment.pop("IER_SSL_REDIRECT", None)
    output = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    hsts, subdomains, redirect, *secure, http_only, csrf_http_only, same_site, debug = (
        output
    )
    assert int(hsts) >= 31536000
    assert subdomains == "True"
    assert redirect == "True"
    assert secure == ["True", "True", "True"]
    assert http_only == csrf_http_only == "True"
    assert same_site == "Lax"
    assert debug == "False"
