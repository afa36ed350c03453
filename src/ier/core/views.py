"""Pages every service has, the liveness check, and the error pages (readiness:
`ier.performance.health`)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ier.core.nocache import never_cache


def page(request: HttpRequest, template: str) -> HttpResponse:
    return render(request, template, {})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Alive: the process answers. Says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: who to tell about a vulnerability, and until when this is true.
    Served over HTTPS only in production (SECURE_SSL_REDIRECT)."""
    lines = [
        "Contact: %s" % _contact_uri(str(settings.SECURITY_CONTACT)),
        "Expires: %s" % settings.SECURITY_TXT_EXPIRES,
        "Preferred-Languages: en, cy",
        "Canonical: %s" % request.build_absolute_uri(request.path),
    ]
    if settings.SECURITY_POLICY_URL:
        lines.append("Policy: %s" % settings.SECURITY_POLICY_URL)
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


def _contact_uri(contact: str) -> str:
    # RFC 9116 asks for a URI; a bare address from the environment becomes mailto:.
    return contact if ":" in contact else "mailto:" + contact


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.html", {}, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/csrf.html", {}, status=403)
