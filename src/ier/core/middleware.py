"""Request ids for logs, the browser security headers every response carries, and
the limits that slow down abuse (rate limits per address, a honeypot for bots)."""

import contextvars
import functools
import logging
import re
import uuid

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty

from ier.core import ratelimit
from ier.core.text import holds_nul

logger = logging.getLogger(__name__)

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestIdMiddleware:
    """Takes the load balancer's X-Request-Id when it is well formed, else makes one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # META, not request.headers: building the headers mapping for one header
        # is a measurable part of a bare response.
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-Id"] = request_id
        return response


@functools.lru_cache(maxsize=256)
def language_of_segment(segment: str, more: bool) -> str | None:
    """Django's `get_language_from_path` for a path whose first segment is
    `segment` (followed by more of the path or not): Django reads nothing else of
    the path. Remembered for the 256 segments last asked (the first segment of the
    service's addresses, "register", "cy", "status" and the like; never more of a
    path): Django's own answer for a segment that is no language is worked out
    afresh, through a raised LookupError, for every request."""
    return translation.get_language_from_path("/" + segment + ("/" if more else ""))


@receiver(setting_changed)
def _forget_languages(setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        language_of_segment.cache_clear()


class PathLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, for URLs that say their language (docs/welsh.md):
    a page under /cy/ is in Welsh, any other in LANGUAGE_CODE.

    With every language but the default prefixed, Django's own reads the language
    cookie and the Accept-Language header, only to set them aside for the path, and
    looks the path's language up three times a request; this one looks it up once
    (by its first segment, remembered) and answers the same
    (tests/core/test_path_language.py)."""

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        prefixes, default_prefixed = is_language_prefix_patterns_used(urlconf)
        if not prefixes or default_prefixed:
            return super().process_request(request)
        path = request.path_info
        parts = path.split("/", 2)
        if path.startswith("/") and len(parts) > 1:
            from_path = language_of_segment(parts[1], len(parts) > 2)
        else:
            from_path = translation.get_language_from_path(path)
        request.language_from_path = (path, from_path)
        translation.activate(from_path or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        path, from_path = getattr(request, "language_from_path", (None, None))
        if path is None or path != request.path_info:
            return super().process_response(request, response)
        if not from_path:
            if "Vary" in response.headers:
                patch_vary_headers(response, ("Accept-Language",))
            else:  # what patch_vary_headers gives a response without one
                response.headers["Vary"] = "Accept-Language"
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware, with the message storage made when a request
    first uses it (adds, reads or sets the level of a message), not for every
    request: only the admin uses messages, and making the storage (a cookie
    storage with its signer and a session storage) was a measurable part of a
    bare response. A storage never made has nothing to save, as an untouched one
    saves nothing in Django's `update`."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        made = getattr(request, "_messages", None)
        if isinstance(made, SimpleLazyObject) and made._wrapped is empty:
            return response
        return super().process_response(request, response)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


# What a view sets (django-csp's decorators) to give its response a policy of its own.
_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@functools.cache
def _settings_policies() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, policy, the response attribute that exempts from it, the path
    prefixes excluded from it) for the policies in the settings, built once."""
    policies = []
    for header, report_only, setting, exempt in (
        (HEADER, False, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
        (
            HEADER_REPORT_ONLY,
            True,
            "CONTENT_SECURITY_POLICY_REPORT_ONLY",
            "_csp_exempt_ro",
        ),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            excluded = (getattr(settings, setting, None) or {}).get(
                "EXCLUDE_URL_PREFIXES"
            ) or ()
            policies.append((header, policy, exempt, tuple(excluded)))
    return tuple(policies)


@receiver(setting_changed)
def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy from the settings built once per
    process instead of for every response (it was a measurable share of a page's
    cost). A response whose view asked for a policy of its own, or a request that
    used a nonce, still gets the policy built for it by django-csp."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _OWN_POLICY
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response
        path = request.path_info
        for header, policy, exempt, excluded in _settings_policies():
            if (
                getattr(response, exempt, False) is False
                and header not in response
                and not path.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after this would be in no header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _rule_for(view_name: str, rules: dict) -> tuple[int, int] | None:
    """The (limit, window) for a view: its own name first, then its namespace."""
    if view_name in rules:
        return rules[view_name]
    namespace = view_name.split(":", 1)[0] + ":*"
    return rules.get(namespace)


class RateLimitMiddleware:
    """Per-address limits on the sends that attackers repeat: an application,
    a sign-in, an API call. Counted in the shared cache (Redis in production), so
    every web node sees the same count. Only state-changing requests count on
    citizen and portal pages; every API request counts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        rule = _rule_for(match.view_name, settings.RATE_LIMITS) if match else None
        if rule is None:
            return None
        if request.method in ("GET", "HEAD") and match.namespace != "api":
            return None
        limit, window = rule
        address = ratelimit.client_address(request)
        if ratelimit.hit("ip:" + match.view_name, address, limit, window):
            return None
        logger.warning("rate limit reached", extra={"view": match.view_name})
        return _too_many_requests(request, match.namespace == "api", window)


def _api_problem(status: int, title: str, detail: str, **extra) -> JsonResponse:
    """A problem document (RFC 9457), as the API's own errors are."""
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail}
        | extra,
        status=status,
        content_type="application/problem+json",
    )


def _too_many_requests(request, is_api: bool, window: int) -> HttpResponse:
    if is_api:
        response: HttpResponse = _api_problem(
            429,
            "Too many requests",
            "Too many requests from this address. Wait, then try again.",
        )
    else:
        response = render(request, "core/too_many_requests.html", {}, status=429)
    response["Retry-After"] = str(window)
    return response


class HoneypotMiddleware:
    """A form field people never see or fill (core/honeypot.html). A send that
    fills it is a bot's: it is dropped without saving anything and answered like
    a page that simply reloaded, so the bot learns nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None:
            return None
        if match.view_name not in settings.HONEYPOT_VIEWS:
            return None
        if not request.POST.get(settings.HONEYPOT_FIELD, ""):
            return None
        logger.info("honeypot filled", extra={"view": match.view_name})
        return HttpResponseRedirect(request.path)


def _where_nul(request) -> list[str] | None:
    """Where a NUL is in the request's address: ["path"], ["query", name], or None."""
    if holds_nul(request.path_info):
        return ["path"]
    query = request.META.get("QUERY_STRING", "")
    if "%00" not in query and "\x00" not in query:
        # A NUL reaches a name or value only as "%00" or as itself: the query is
        # not parsed (most requests have none, and few views read one).
        return None
    for name, values in request.GET.lists():
        if holds_nul(name) or any(holds_nul(value) for value in values):
            return ["query", name.replace("\x00", "\\0")]
    return None


class RefuseNulMiddleware:
    """Refuses a NUL (%00) anywhere in a request's path or query string, for every
    page and the API, before any view reads it: no database column can hold one
    (PostgreSQL refuses it, so a query with one fails), and no person types one.
    Bodies are checked where they are read: the form bridge, the API's `Text`
    schema type and the CSV readers (ier.core.text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = _where_nul(request)
        if where is None:
            return self.get_response(request)
        logger.info("NUL in request address refused", extra={"location": where[0]})
        if request.path_info.startswith("/api/"):
            return _api_problem(
                400,
                "Bad Request",
                "The %s holds a NUL character (%%00), which no value may contain."
                % ("path" if where == ["path"] else "query parameter %s" % where[1]),
                code="nul_character",
                location=where,
            )
        return render(request, "core/bad_address.html", {}, status=400)
