"""Flash messages (the admin's "was changed successfully") are stored as Django
stores them, but their storage is made only for a request that uses it: most
requests (every citizen page, /healthz) never do."""

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage import fallback
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from ier.core.middleware import LazyMessageMiddleware

pytestmark = pytest.mark.django_db


def _through(view, cookies=None):
    """One request through the session and message middleware, as in MIDDLEWARE."""
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    stack = SessionMiddleware(LazyMessageMiddleware(view))
    return request, stack(request)


def test_it_stands_where_djangos_did():
    assert "django.contrib.messages.middleware.MessageMiddleware" not in (
        settings.MIDDLEWARE
    )
    middleware = settings.MIDDLEWARE
    sessions = "django.contrib.sessions.middleware.SessionMiddleware"
    lazy = "ier.core.middleware.LazyMessageMiddleware"
    assert middleware.index(lazy) > middleware.index(sessions)


def test_a_request_that_uses_no_message_makes_no_storage(monkeypatch):
    made = []
    monkeypatch.setattr(
        fallback.FallbackStorage,
        "__init__",
        lambda self, *a, **k: made.append(self),
    )
    _, response = _through(lambda request: HttpResponse("ok"))
    assert made == []
    assert settings.MESSAGE_STORAGE.endswith("FallbackStorage")
    assert "messages" not in response.cookies


def test_a_message_added_is_stored_and_shown_on_the_next_request():
    def add(request):
        messages.success(request, "Saved")
        return HttpResponse("ok")

    _, response = _through(add)
    cookie = response.cookies["messages"].value
    assert cookie

    shown = []

    def show(request):
        shown.extend(str(message) for message in messages.get_messages(request))
        return HttpResponse("ok")

    _, response = _through(show, {"messages": cookie})
    assert shown == ["Saved"]
    assert response.cookies["messages"]["max-age"] == 0  # read, so cleared


def test_a_message_left_unread_stays_for_the_next_request():
    def add(request):
        messages.info(request, "Later")
        return HttpResponse("ok")

    _, first = _through(add)
    cookie = first.cookies["messages"].value
    _, second = _through(lambda request: HttpResponse("ok"), {"messages": cookie})
    assert "messages" not in second.cookies  # not read: left as it was

    def level(request):
        messages.set_level(request, messages.WARNING)
        messages.info(request, "below the level")
        return HttpResponse("ok")

    _, third = _through(level)
    assert "messages" not in third.cookies
