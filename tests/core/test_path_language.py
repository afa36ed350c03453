"""A page's language comes from its address alone (docs/welsh.md): the service's
locale middleware answers exactly as Django's LocaleMiddleware does for our URLs,
without reading the language cookie or the browser's Accept-Language first."""

import pytest
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.test import RequestFactory
from django.utils import translation

from ier.core.middleware import PathLanguageMiddleware

PATHS = [
    "/",
    "/cy/",
    "/register/name/",
    "/cy/register/name/",
    "/cy/status/",
    "/en/register/name/",
    "/cy-gb/register/name/",
    "/fr/",
    "/api/v1/elections",
    "/ero/login/",
    "/assets/govuk/govuk-frontend.min.css",
    "/no-such-page/",
    "/cy/no-such-page/",
    "/cy",
    "/CY/register/name/",
    "/cy\n",
    "/cy\n/register/",
    "/en-us/",
    "/healthz",
    "/.well-known/security.txt",
    "/register/exit/cy/",
]
HEADERS = [
    {},
    {"HTTP_ACCEPT_LANGUAGE": "cy-GB,cy;q=0.9,en;q=0.5"},
    {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"},
    {"HTTP_COOKIE": "django_language=cy"},
]


def answer(middleware_class, path: str, headers: dict, status: int, vary=None):
    """The language a view sees and the response's language headers."""
    seen = {}

    def view(request):
        seen["language"] = translation.get_language()
        seen["request"] = request.LANGUAGE_CODE
        response = HttpResponse("x", status=status)
        if vary is not None:
            response["Vary"] = vary
        return response

    request = RequestFactory().get(path, **headers)
    with translation.override(None):
        response = middleware_class(view)(request)
    return (
        seen,
        response.get("Content-Language"),
        response.get("Vary"),
        response.status_code,
        response.get("Location"),
    )


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("status", [200, 404])
def test_the_same_language_and_headers_as_djangos_middleware(path, headers, status):
    for _ in range(2):  # worked out, then remembered
        assert answer(PathLanguageMiddleware, path, headers, status) == answer(
            LocaleMiddleware, path, headers, status
        )


@pytest.mark.parametrize("vary", ["", "Cookie", "cookie, accept-language", "*"])
@pytest.mark.parametrize("path", ["/register/name/", "/cy/register/name/"])
def test_a_vary_header_the_view_set_is_added_to_as_django_does(vary, path):
    assert answer(PathLanguageMiddleware, path, {}, 200, vary) == answer(
        LocaleMiddleware, path, {}, 200, vary
    )


def test_the_language_of_a_first_segment_is_remembered_within_bounds(monkeypatch):
    from ier.core import middleware

    middleware.language_of_segment.cache_clear()
    asked = []
    django_asks = translation.get_language_from_path

    def asking(path):
        asked.append(path)
        return django_asks(path)

    monkeypatch.setattr(translation, "get_language_from_path", asking)
    for path in ["/cy/a/", "/cy/b/", "/register/a/", "/register/b/", "/cy"]:
        answer(PathLanguageMiddleware, path, {}, 200)
    assert asked == ["/cy/", "/register/", "/cy"]
    for number in range(1000):
        answer(PathLanguageMiddleware, "/x%d/" % number, {}, 404)
    info = middleware.language_of_segment.cache_info()
    assert info.currsize == info.maxsize == 256


def test_a_change_of_languages_is_followed(settings):
    assert answer(PathLanguageMiddleware, "/fr/", {}, 200)[0]["language"] == "en"
    settings.LANGUAGES = [("en", "English"), ("cy", "Welsh"), ("fr", "French")]
    assert answer(PathLanguageMiddleware, "/fr/", {}, 200) == answer(
        LocaleMiddleware, "/fr/", {}, 200
    )


@pytest.mark.parametrize(
    ("path", "language"), [("/register/start/", "en"), ("/cy/register/start/", "cy")]
)
@pytest.mark.django_db
def test_neither_the_cookie_nor_the_browser_is_read(
    client, monkeypatch, path, language
):
    def refused(*args, **kwargs):
        raise AssertionError("the language was looked for beyond the path")

    monkeypatch.setattr(translation, "get_language_from_request", refused)
    client.cookies["django_language"] = "cy" if language == "en" else "en"
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr, cy;q=0.9")
    assert response["Content-Language"] == language
