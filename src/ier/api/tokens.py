"""Making, finding and revoking EMS tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ier.api.models import ApiToken
from ier.geography.models import Authority

TOKEN_PREFIX = "ier_"  # noqa: S105 - a label, not a secret


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    authority: Authority, name: str, created_by=None, days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret. The secret is returned once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    lifetime = days or settings.EMS_TOKEN_DAYS
    token = ApiToken.objects.create(
        authority=authority,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        secret_hash=secret_hash(secret),
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=lifetime),
    )
    return token, secret


def find_usable(secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    # The secret is what establishes the caller's authority, so it is the key here.
    tokens = ApiToken.objects  # scoping: looked up by the secret's hash alone
    return (
        tokens.usable()
        .select_related("authority")
        .filter(secret_hash=secret_hash(secret))
        .first()
    )


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
