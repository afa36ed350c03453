"""Request ids for logs, the browser security headers every response carries, and
the limits that slow down abuse (rate limits per address, a honeypot for bots)."""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render

from ier.core import ratelimit

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
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-Id"] = request_id
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
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


def _too_many_requests(request, is_api: bool, window: int) -> HttpResponse:
    if is_api:
        response: HttpResponse = JsonResponse(
            {
                "type": "about:blank",
                "title": "Too many requests",
                "status": 429,
                "detail": "Too many requests from this address. Wait, then try again.",
            },
            status=429,
            content_type="application/problem+json",
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
