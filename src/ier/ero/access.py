"""Who may see which portal page. Every view carries a `permission_rule` (a test
walks the URL patterns and fails on a view without one)."""

import time
from collections.abc import Callable
from functools import wraps
from typing import Protocol, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ier.core.nocache import never_cache
from ier.ero.models import Officer

SEEN_KEY = "ero_seen"
PUBLIC = "public"
OFFICER = "officer"
MANAGER = "manager"


class OfficerRequest(HttpRequest):
    """The request a portal view receives: the guard below has signed the officer
    in (with a second factor) and put them on it."""

    officer: Officer
    user: User


class _OtpUser(Protocol):
    """The user django-otp's middleware puts on the request: it adds is_verified()."""

    is_authenticated: bool
    is_active: bool

    def is_verified(self) -> bool: ...


def _sign_in_redirect(request: HttpRequest, reason: str = "") -> HttpResponse:
    query = {"next": request.get_full_path()}
    if reason:
        query["reason"] = reason
    return redirect("%s?%s" % (reverse("ero:sign-in"), urlencode(query)))


def _idle_too_long(request: HttpRequest) -> bool:
    seen = request.session.get(SEEN_KEY)
    return seen is not None and time.time() - seen > settings.ERO_IDLE_SECONDS


def current_officer(request: HttpRequest) -> Officer | None:
    user = cast(_OtpUser, request.user)
    if not (user.is_authenticated and user.is_active and user.is_verified()):
        return None
    return getattr(user, "officer", None)


def _guard(rule: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @never_cache
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if _idle_too_long(request):
                logout(request)
                return _sign_in_redirect(request, "timeout")
            officer = current_officer(request)
            if officer is None:
                return _sign_in_redirect(request)
            if rule == MANAGER and not officer.is_manager:
                return render(
                    request, "ero/no_access.html", {"officer": officer}, status=403
                )
            cast(OfficerRequest, request).officer = officer
            request.session[SEEN_KEY] = time.time()
            return view(request, *args, **kwargs)

        wrapped.permission_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorator


officer_required = _guard(OFFICER)
manager_required = _guard(MANAGER)


def public(view: Callable) -> Callable:
    """Pages anyone may open (sign-in, invitations, evidence upload links): each
    protects itself by other means, which its docstring names."""
    wrapped = never_cache(view)
    wrapped.permission_rule = PUBLIC  # type: ignore[attr-defined]
    return wrapped
