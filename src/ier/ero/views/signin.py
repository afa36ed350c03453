"""Signing in: email and password, then a code from an authenticator app. Both
steps count towards the lockout."""

import time

import django_otp
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ier.ero import audit, lockout
from ier.ero.access import SEEN_KEY, OfficerRequest, officer_required, public
from ier.ero.forms import CodeForm, SignInForm
from ier.ero.models import AuthenticatorDevice

PENDING_USER = "ero_pending_user"
PENDING_NEXT = "ero_pending_next"
PENDING_SECONDS = 300


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/ero/"


def _locked_message() -> str:
    return _(
        "Your account is locked because of too many failed attempts. "
        "Try again in 15 minutes."
    )


@public
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Anyone may try; failures are counted per account and lock it."""
    form = SignInForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if lockout.is_locked(request, email):
            form.add_error("email", _locked_message())
        else:
            user = authenticate(
                request, username=email, password=form.cleaned_data["password"]
            )
            if user is not None and (
                getattr(user, "officer", None) is None and not user.is_staff
            ):
                lockout.record_failure(request, email)
                user = None
            if user is None:
                form.add_error("email", _("Enter a correct email address and password"))
            else:
                request.session.cycle_key()
                request.session[PENDING_USER] = [user.pk, time.time()]
                request.session[PENDING_NEXT] = _safe_next(
                    request, request.GET.get("next", "")
                )
                return redirect("ero:sign-in-code")
    timed_out = request.GET.get("reason") == "timeout"
    return render(request, "ero/sign_in.html", {"form": form, "timed_out": timed_out})


@public
def operators_sign_in(request: HttpRequest) -> HttpResponse:
    """The Django admin's own sign-in page, replaced by the portal's: operators sign
    in with the same lockout, rate limits and failure message as officers, and a
    code from their authenticator app, then go on to the admin."""
    return redirect("%s?next=/django-admin/" % reverse("ero:sign-in"))


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING_USER)
    if not pending or time.time() - pending[1] > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending[0], is_active=True).first()


@public
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Only reached with a password checked in the last 5 minutes (in the session)."""
    user = _pending_user(request)
    if user is None:
        return redirect("ero:sign-in")
    form = CodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        username = user.get_username()
        confirmed = AuthenticatorDevice.objects.filter(
            user=user, confirmed=True
        ).first()
        throttled = lockout.is_throttled(confirmed)
        device = (
            None
            if lockout.is_locked(request, username)
            else django_otp.match_token(user, form.cleaned_data["code"])
        )
        if device is None:
            lockout.record_failure(request, username)
            if lockout.is_locked(request, username):
                message = _locked_message()
            else:
                message = lockout.code_error(throttled)
            form.add_error("code", message)
        else:
            return _complete_sign_in(request, user, device)
    return render(request, "ero/sign_in_code.html", {"form": form})


def _complete_sign_in(request: HttpRequest, user, device) -> HttpResponse:
    target = request.session.get(PENDING_NEXT, "/ero/")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    django_otp.login(request, device)
    request.session[SEEN_KEY] = time.time()
    officer = getattr(user, "officer", None)
    audit.record(
        officer.authority if officer else None,
        user.get_username(),
        "sign_in",
        request=request,
    )
    if officer is None:
        return redirect("admin:index")
    return redirect(target)


@officer_required
@require_POST
def sign_out(request: OfficerRequest) -> HttpResponse:
    audit.record_portal(request, "sign_out")
    logout(request)
    return redirect("ero:sign-in")
