from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from ier.api import tokens
from ier.api.models import ApiToken
from tests.api.factories import bearer

pytestmark = pytest.mark.django_db


def test_no_token_is_401_problem(client):
    response = client.get("/api/v1/applications")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_wrong_token_is_401(client):
    assert (
        client.get("/api/v1/counts", **bearer("ier_not-a-real-one")).status_code == 401
    )


def test_token_is_stored_hashed(authority):
    token, secret = tokens.create_token(authority, "EMS")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.secret_hash, stored.prefix)
    assert stored.secret_hash == tokens.secret_hash(secret)
    assert secret.startswith(stored.prefix)


def test_expired_and_revoked_tokens_are_refused(client, authority):
    expired, expired_secret = tokens.create_token(authority, "old")
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(1)
    )
    revoked, revoked_secret = tokens.create_token(authority, "gone")
    tokens.revoke(revoked)
    assert client.get("/api/v1/counts", **bearer(expired_secret)).status_code == 401
    assert client.get("/api/v1/counts", **bearer(revoked_secret)).status_code == 401


def test_last_used_is_recorded(client, authority):
    token, secret = tokens.create_token(authority, "EMS")
    client.get("/api/v1/counts", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


@override_settings(EMS_API_REQUESTS_PER_MINUTE=2)
def test_rate_limit_per_token_is_429_with_retry_after(client, authority, secret):
    other = tokens.create_token(authority, "second EMS")[1]
    statuses = [
        client.get("/api/v1/counts", **bearer(secret)).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    limited = client.get("/api/v1/counts", **bearer(secret))
    assert limited["Retry-After"] == "60"
    assert limited.json()["code"] == "rate_limited"
    assert client.get("/api/v1/counts", **bearer(other)).status_code == 200


@override_settings(EMS_API_MAX_BODY_BYTES=50)
def test_oversized_json_body_is_413(client, secret):
    response = client.post(
        "/api/v1/acknowledgements",
        {"references": ["B" * 10] * 20},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 413
