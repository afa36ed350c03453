"""The public performance page, and the Prometheus metrics for operators."""

import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ier.performance.dashboard import figures
from ier.performance.metrics import registry

FIGURES_CACHE_SECONDS = 60


def dashboard(request: HttpRequest) -> HttpResponse:
    # The figures change slowly and cost a few queries: computed once a minute.
    key = "performance:figures:%s" % translation.get_language()
    shown = cache.get(key)
    if shown is None:
        shown = figures()
        cache.set(key, shown, FIGURES_CACHE_SECONDS)
    return render(request, "performance/dashboard.html", shown)


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, only for a scraper bearing the configured token."""
    expected = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
