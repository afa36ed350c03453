"""Field-level encryption for the most sensitive data, and keyed hashes to find it.

Keys come from settings (the environment in production), never from the database.
The first key encrypts; every key decrypts, so keys rotate by adding a new one first
and re-encrypting at leisure (`MultiFernet.rotate`)."""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _fernet() -> MultiFernet:
    # Built once per key set: reading settings each call keeps rotation immediate.
    return _multi_fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def rotate(token: str) -> str:
    return _fernet().rotate(token.encode()).decode() if token else ""


def lookup_hash(value: str) -> str:
    """A keyed hash, so equal values can be found without storing them in clear."""
    if not value:
        return ""
    key = settings.LOOKUP_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def _primary() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEYS[0])


def encrypted_with_primary_key(token: bytes) -> bool:
    """True when the first (current) key opens the token: nothing to rotate."""
    try:
        _primary().decrypt(token)
    except InvalidToken:
        return False
    return True


def rotated_bytes(token: bytes) -> bytes | None:
    """The token under the current key, or None when it already is (so a second
    run of a rotation changes nothing)."""
    if encrypted_with_primary_key(token):
        return None
    return _fernet().rotate(token)
