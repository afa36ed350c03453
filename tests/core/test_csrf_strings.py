"""CSRF strings (a new cookie's secret, and the mask each page's token is made with)
are drawn by `ier.core.csrf_strings`: as unpredictable as Django's own, each
character equally likely, at a fraction of the cost. These tests pin the Django
internals the adapter relies on, so an upgrade that changes them fails here."""

import collections
import inspect

from django.middleware import csrf
from django.test import RequestFactory

from ier.core import csrf_strings


def test_django_draws_every_csrf_string_through_the_function_replaced():
    assert csrf._get_new_csrf_string is csrf_strings.new_csrf_string
    for user in (csrf._mask_cipher_secret, csrf._add_new_csrf_cookie):
        assert "_get_new_csrf_string()" in inspect.getsource(user)
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
