"""Pages that must never be cached get exactly the headers Django's never_cache
gives them; a response with no caching headers of its own gets them in one step."""

import time
from pathlib import Path

import pytest
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory
from django.utils import cache as django_cache
from django.views.decorators import cache as django_decorators

from ier.core import nocache

STARTS = [
    {},
    {"Cache-Control": "public, max-age=600"},
    {"Cache-Control": "max-age=60, no-cache=Set-Cookie"},
    {"Cache-Control": "no-store"},
    {"Cache-Control": ""},
    {"Expires": "Thu, 01 Jan 1970 00:00:00 GMT"},
    {"Expires": "Thu, 01 Jan 1970 00:00:00 GMT", "Cache-Control": "private"},
    {"Vary": "Cookie"},
]


def _response(kind, headers):
    response = HttpResponse("page") if kind == "html" else JsonResponse({"a": 1})
    for name, value in headers.items():
        response[name] = value
    return response


@pytest.mark.parametrize("headers", STARTS)
@pytest.mark.parametrize("kind", ["html", "json"])
def test_the_headers_are_djangos_byte_for_byte(headers, kind, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    ours, theirs = _response(kind, headers), _response(kind, headers)
    nocache.add_never_cache_headers(ours)
    django_cache.add_never_cache_headers(theirs)
    assert list(ours.items()) == list(theirs.items())
    assert ours.serialize_headers() == theirs.serialize_headers()


def test_the_decorator_does_what_djangos_does(monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)

    def view(request, name):
        return HttpResponse("hello " + name)

    request = RequestFactory().get("/")
    ours = nocache.never_cache(view)
    theirs = django_decorators.never_cache(view)
    assert ours.__name__ == "view" and ours.__wrapped__ is view
    assert list(ours(request, "x").items()) == list(theirs(request, "x").items())
    with pytest.raises(TypeError):
        ours(object(), "x")  # a method decorated without method_decorator


def test_an_async_view_gets_djangos_own():
    async def view(request):
        return HttpResponse("")

    from asgiref.sync import iscoroutinefunction

    assert iscoroutinefunction(nocache.never_cache(view))


def test_every_view_of_the_service_uses_this_one():
    src = Path(nocache.__file__).resolve().parents[1]
    djangos = "from django.views.decorators.cache import never_cache"
    users = [p for p in src.rglob("*.py") if djangos in p.read_text()]
    assert users == []
