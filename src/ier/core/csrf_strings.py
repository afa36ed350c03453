"""The random strings of Django's CSRF protection, drawn at a fraction of the cost.

Every page with a form carries a CSRF token: the cookie's secret under a fresh
random mask of 32 characters. Django draws each character with
`secrets.choice`, one call to the operating system's random source per character,
which made the mask alone about a tenth of the CPU of a journey page. Here the 32
characters come from one read of `secrets.token_bytes`: a byte below 248 (four
times the 62 letters and digits) gives the character `byte % 62`, and a byte at or
above it is drawn again, so every character stays equally likely and as
unpredictable as Django's.

A token is the mask followed by the secret with each character shifted by the
mask's character at the same place (in the alphabet's order, modulo 62); a sent
token is unmasked by shifting back. Django finds each character's place by
searching the alphabet, twice per character; here the 62 x 62 shifted characters
are worked out once, at import, into two tables (`_ADD`, `_SUBTRACT`: about 7,700
one-character strings, the same for every request and person), and a token is
masked or unmasked by looking its characters up: the same token, character for
character, for the same secret and mask.

This is the one place that reaches into `django.middleware.csrf`: `install()`
replaces its `_get_new_csrf_string`, which both a new cookie's secret and each
token's mask are drawn by, and its `_mask_cipher_secret` and
`_unmask_cipher_token`, which `get_token` and the check of a sent token call.
tests/core/test_csrf_strings.py pins the internals relied on (and the tables
against Django's own functions), so an upgrade of Django that changes them fails
there."""

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


#: Django's own, kept to check the tables against (tests/core/test_csrf_strings.py).
DJANGO_MASK_CIPHER_SECRET = csrf._mask_cipher_secret  # type: ignore[attr-defined]
DJANGO_UNMASK_CIPHER_TOKEN = csrf._unmask_cipher_token  # type: ignore[attr-defined]

#: _ADD[s][m]: `s` moved on by `m`'s place; _SUBTRACT[c][m]: `c` moved back by it.
_ADD = {
    s: {m: ALPHABET[(i + j) % len(ALPHABET)] for j, m in enumerate(ALPHABET)}
    for i, s in enumerate(ALPHABET)
}
_SUBTRACT = {
    c: {m: ALPHABET[(i - j) % len(ALPHABET)] for j, m in enumerate(ALPHABET)}
    for i, c in enumerate(ALPHABET)
}


def mask_cipher_secret(secret: str) -> str:
    """A page's token: a new mask, then `secret` shifted by it (as Django's)."""
    mask = csrf._get_new_csrf_string()  # type: ignore[attr-defined]
    try:
        shifted = [_ADD[s][m] for s, m in zip(secret, mask, strict=False)]
    except KeyError:
        raise ValueError(
            "a CSRF secret holds a character outside its alphabet"
        ) from None
    return mask + "".join(shifted)


def unmask_cipher_token(token: str) -> str:
    """The secret a sent token was made from (as Django's)."""
    mask, cipher = token[:LENGTH], token[LENGTH:]
    try:
        return "".join([_SUBTRACT[c][m] for c, m in zip(cipher, mask, strict=False)])
    except KeyError:
        raise ValueError(
            "a CSRF token holds a character outside its alphabet"
        ) from None


def install() -> None:
    for name in (
        "_get_new_csrf_string",
        "_mask_cipher_secret",
        "_unmask_cipher_token",
    ):
        if not callable(getattr(csrf, name, None)):
            raise ImproperlyConfigured(
                "django.middleware.csrf no longer has %s: see ier.core.csrf_strings"
                % name
            )
    csrf._get_new_csrf_string = new_csrf_string  # type: ignore[attr-defined]
    csrf._mask_cipher_secret = mask_cipher_secret  # type: ignore[attr-defined]
    csrf._unmask_cipher_token = unmask_cipher_token  # type: ignore[attr-defined]
