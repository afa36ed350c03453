"""Fixed-window rate limits kept in Django's cache (Redis in production)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The address that connected to our nearest trusted proxy.

    Each proxy appends the address it saw to X-Forwarded-For, so with N trusted
    proxies in front (TRUSTED_PROXY_COUNT) the client is the Nth entry from the
    right; anything further left was written by the client and cannot be trusted
    (taking the first entry would let anyone dodge a limit by sending the header)."""
    count = settings.TRUSTED_PROXY_COUNT
    hops = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if count and len(hops) >= count:
        return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


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
