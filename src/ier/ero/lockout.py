"""Locking an account after repeated failed sign-in attempts (password or code).

django-axes keeps the count in the database (its database handler), so every
worker of every web node sees the same count with or without Redis. The portal
asks it before checking a password or code, and says so in its own words; a
success resets the count (Django's `user_logged_in` signal)."""

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext


def username(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The account a try is counted against, as typed in any case or spacing
    (AXES_USERNAME_CALLABLE)."""
    typed = (credentials or {}).get("username")
    return typed.strip().lower() if isinstance(typed, str) else None


def failure_limit(request: HttpRequest | None, credentials: dict | None) -> int:
    return settings.ERO_SIGNIN_FAILURES


def cool_off(request: HttpRequest | None = None) -> timedelta:
    return timedelta(seconds=settings.ERO_LOCKOUT_SECONDS)


def is_locked(request: HttpRequest, email: str) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": email})


def record_failure(request: HttpRequest, email: str) -> None:
    """Counts a refused code, or a right password on an account that may not use
    the portal (a wrong password is counted by `authenticate` itself)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": email}, request=request
    )


def code_error(was_throttled: bool) -> str:
    """What to say about a refused code: after a wrong one the device makes the
    person wait a little (1, 2, 4... seconds) before it checks another."""
    if was_throttled:
        return gettext("Wait a few seconds, then enter the code the app shows now")
    return gettext("The code is not correct. Enter the code the app shows now")


def is_throttled(device) -> bool:
    return device is not None and not device.verify_is_allowed()[0]
