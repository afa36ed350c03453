"""CSRF strings (a new cookie's secret, and the mask each page's token is made with)
are drawn by `ier.core.csrf_strings`: as unpredictable as Django's own, each
character equally likely, at a fraction of the cost. These tests pin the Django
internals the adapter relies on, so an upgrade that changes them fails here."""

import collections
import inspect

import pytest
from django.middleware import csrf
from django.test import RequestFactory

from ier.core import csrf_strings


def test_django_draws_every_csrf_string_through_the_function_replaced():
    assert csrf._get_new_csrf_string is csrf_strings.new_csrf_string
    for user in (
        csrf_strings.DJANGO_MASK_CIPHER_SECRET,
        csrf_strings.mask_cipher_secret,
        csrf._add_new_csrf_cookie,
    ):
        assert "_get_new_csrf_string()" in inspect.getsource(user)
    # Found by name in the module when a token is made and when one is checked.
    assert "_mask_cipher_secret(" in inspect.getsource(csrf.get_token)
    assert "_unmask_cipher_token(" in inspect.getsource(csrf._does_token_match)
    assert csrf_strings.ALPHABET == csrf.CSRF_ALLOWED_CHARS
    assert csrf_strings.LENGTH == csrf.CSRF_SECRET_LENGTH


def test_each_string_is_new_of_the_right_length_and_alphabet():
    drawn = [csrf_strings.new_csrf_string() for _ in range(2000)]
    assert len(set(drawn)) == len(drawn)
    assert all(len(s) == csrf.CSRF_SECRET_LENGTH for s in drawn)
    assert set("".join(drawn)) == set(csrf.CSRF_ALLOWED_CHARS)


def test_every_character_is_equally_likely():
    counts = collections.Counter(
        "".join(csrf_strings.new_csrf_string() for _ in range(6000))
    )
    expected = 6000 * csrf.CSRF_SECRET_LENGTH / len(csrf.CSRF_ALLOWED_CHARS)
    chi_square = sum(
        (counts[c] - expected) ** 2 / expected for c in csrf.CSRF_ALLOWED_CHARS
    )
    # 61 degrees of freedom: above 120 has a chance far below one in a million for
    # uniform draws, while a modulo bias (the first 8 characters drawn a fifth more
    # often) gives about 600.
    assert chi_square < 120


def test_a_page_token_still_unmasks_to_the_cookie_secret():
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == csrf.CSRF_SECRET_LENGTH
    assert len(token) == csrf.CSRF_TOKEN_LENGTH
    assert csrf._unmask_cipher_token(token) == secret
    assert csrf.get_token(request) != token  # a new mask for every token


def test_tokens_are_masked_and_unmasked_by_table_as_django_does_by_search(
    monkeypatch,
):
    """The adapter's mask and unmask give, character for character, what Django's
    own functions give for the same secret and mask, in both directions."""
    assert csrf._mask_cipher_secret is csrf_strings.mask_cipher_secret
    assert csrf._unmask_cipher_token is csrf_strings.unmask_cipher_token
    django_mask = csrf_strings.DJANGO_MASK_CIPHER_SECRET
    django_unmask = csrf_strings.DJANGO_UNMASK_CIPHER_TOKEN
    alphabet = csrf.CSRF_ALLOWED_CHARS
    edges = [alphabet[:32], alphabet[-32:], alphabet[0] * 32, alphabet[-1] * 32]
    drawn = [csrf_strings.new_csrf_string() for _ in range(3000)]
    strings = edges + drawn
    for secret, mask in zip(strings, reversed(strings), strict=True):
        monkeypatch.setattr(csrf, "_get_new_csrf_string", lambda mask=mask: mask)
        token = csrf._mask_cipher_secret(secret)
        assert token == django_mask(secret)
        assert token[:32] == mask
        assert csrf._unmask_cipher_token(token) == django_unmask(token) == secret
        forged = mask + secret  # any token of the alphabet unmasks the same way
        assert csrf._unmask_cipher_token(forged) == django_unmask(forged)


@pytest.mark.parametrize("bad", ["!" * 32, "a" * 31 + "\u00e9", "a" * 31 + " "])
def test_a_string_outside_the_alphabet_fails_as_it_does_in_django(bad):
    for mask in (csrf_strings.DJANGO_MASK_CIPHER_SECRET, csrf._mask_cipher_secret):
        with pytest.raises(ValueError):
            mask(bad)
    for token in ("a" * 32 + bad, bad + "a" * 32):
        for unmask in (
            csrf_strings.DJANGO_UNMASK_CIPHER_TOKEN,
            csrf._unmask_cipher_token,
        ):
            with pytest.raises(ValueError):
                unmask(token)
