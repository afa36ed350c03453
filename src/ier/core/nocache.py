"""Django's `never_cache`, with the headers of a response that has no caching
headers of its own set in one step.

Every page of the citizen journey, and /healthz, is marked never to be cached.
Django's `add_never_cache_headers` reaches its result ("Expires" now, and
"Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private") by
parsing and rebuilding the Cache-Control header twice, which was a measurable part
of a bare response. A response that already has a Cache-Control or Expires header
(no page of the service sets one before the decorator runs) gets Django's own, so
the two agree header for header (tests/core/test_never_cache.py)."""

import time
from functools import wraps

from asgiref.sync import iscoroutinefunction
from django.utils import cache
from django.utils.http import http_date
from django.views.decorators import cache as django_decorators

#: What Django's add_never_cache_headers gives a response without caching headers.
NEVER = "max-age=0, no-cache, no-store, must-revalidate, private"


def add_never_cache_headers(response) -> None:
    headers = response.headers
    if "Cache-Control" in headers or "Expires" in headers:
        cache.add_never_cache_headers(response)
        return
    headers["Expires"] = http_date(time.time())
    headers["Cache-Control"] = NEVER


def never_cache(view_func):
    """As Django's decorator: the response never cached (see the module)."""
    if iscoroutinefunction(view_func):
        return django_decorators.never_cache(view_func)

    @wraps(view_func)
    def _view_wrapper(request, *args, **kwargs):
        if not hasattr(request, "META"):
            raise TypeError(
                "never_cache didn't receive an HttpRequest. If you are "
                "decorating a classmethod, be sure to use @method_decorator."
            )
        response = view_func(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return _view_wrapper
