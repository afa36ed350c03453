"""The random strings of Django's CSRF protection, drawn at a fraction of the cost.

Every page with a form carries a CSRF token: the cookie's secret under a fresh
random mask of 32 characters. Django draws each character with
`secrets.choice`, one call to the operating system's random source per character,
which made the mask alone about a tenth of the CPU of a journey page. Here the 32
characters come from one read of `secrets.token_bytes`: a byte below 248 (four
times the 62 letters and digits) gives the character `byte % 62`, and a byte at or
above it is drawn again, so every character stays equally likely and as
unpredictable as Django's.

This is the one place that reaches into `django.middleware.csrf`: `install()`
replaces its `_get_new_csrf_string`, which both a new cookie's secret and each
token's mask are drawn by. tests/core/test_csrf_strings.py pins the internals
relied on, so an upgrade of Django that changes them fails there."""

import secrets

from django.core.exceptions import ImproperlyConfigured
from django.middleware import csrf

ALPHABET = csrf.CSRF_ALLOWED_CHARS
LENGTH = csrf.CSRF_SECRET_LENGTH
#: Bytes at or above this are drawn again: below it each character has 4 bytes.
_BELOW = 256 - 256 % len(ALPHABET)


def new_csrf_string() -> str:
    """`LENGTH` characters of `ALPHABET`, each uniformly and securely random."""
    chars: list[str] = []
    while len(chars) < LENGTH:
        # A few more bytes than needed: about one byte in 32 is drawn again.
        for byte in secrets.token_bytes(LENGTH + 8):
            if byte < _BELOW:
                chars.append(ALPHABET[byte % len(ALPHABET)])
                if len(chars) == LENGTH:
                    break
    return "".join(chars)


def install() -> None:
    if not callable(getattr(csrf, "_get_new_csrf_string", None)):
        raise ImproperlyConfigured(
            "django.middleware.csrf no longer draws its strings with "
            "_get_new_csrf_string: see ier.core.csrf_strings"
        )
    csrf._get_new_csrf_string = new_csrf_string  # type: ignore[attr-defined]
