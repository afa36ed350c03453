"""Fixed-window rate limits kept in Django's cache (Redis in production)."""

import hashlib
import time

from django.core.cache import cache


def client_address(request) -> str:
    # Behind the load balancer the first X-Forwarded-For hop is the client; the
    # balancer must overwrite the header, which the deployment guide requires.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


def hit(scope: str, identity: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True while the identity is within its limit."""
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    key = "rl:%s:%s:%d" % (scope, digest, window)
    cache.add(key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit
