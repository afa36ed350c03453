"""Locking an account after repeated failed sign-in attempts (password or code),
kept in the shared cache so every web node sees the same count."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext


def _key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return "ero-signin-failures:%s" % digest


def is_locked(username: str) -> bool:
    return (cache.get(_key(username)) or 0) >= settings.ERO_SIGNIN_FAILURES


def record_failure(username: str) -> None:
    key = _key(username)
    cache.add(key, 0, timeout=settings.ERO_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.ERO_LOCKOUT_SECONDS)


def clear(username: str) -> None:
    cache.delete(_key(username))


def code_error(was_throttled: bool) -> str:
    """What to say about a refused code: after a wrong one the device makes the
    person wait a little (1, 2, 4... seconds) before it checks another."""
    if was_throttled:
        return gettext("Wait a few seconds, then enter the code the app shows now")
    return gettext("The code is not correct. Enter the code the app shows now")


def is_throttled(device) -> bool:
    return device is not None and not device.verify_is_allowed()[0]
