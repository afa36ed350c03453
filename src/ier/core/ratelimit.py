"""Fixed-window rate limits, counted where every web worker of every node sees the
same count: Redis where IER_REDIS_URL is set, otherwise the database (one row per
limit and identity, raised by a single atomic statement)."""

import hashlib
import itertools
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection

#: Windows that have ended are deleted by every this-many-th count of a process.
SWEEP_EVERY = 1000
_counted = itertools.count(1)
#: One statement, so two workers counting at once both count (PostgreSQL, and
#: SQLite from 3.35); a new window starts again from one.
COUNT_ONE_MORE = (
    "INSERT INTO core_ratecount (bucket, period, count, expires_at) "
    "VALUES (%s, %s, 1, %s) ON CONFLICT (bucket) DO UPDATE SET count = CASE WHEN "
    "core_ratecount.period = excluded.period THEN core_ratecount.count + 1 ELSE 1 "
    "END, period = excluded.period, expires_at = excluded.expires_at RETURNING count"
)


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
    period = int(time.time() // window_seconds)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    bucket = "rl:%s:%s" % (scope, digest)
    if settings.RATE_COUNTS == "cache":
        count = _count_in_cache("%s:%d" % (bucket, period), window_seconds)
    else:
        count = _count_in_database(bucket, period, window_seconds)
    return count <= limit


def _count_in_cache(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds + 5)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window_seconds + 5)
        return 1


def _count_in_database(bucket: str, period: int, window_seconds: int) -> int:
    # Imported here: the logging set-up imports this module before apps are ready.
    from ier.core.models import RateCount

    expires_at = datetime.fromtimestamp((period + 1) * window_seconds, tz=UTC)
    with connection.cursor() as cursor:
        cursor.execute(COUNT_ONE_MORE, [bucket, period, expires_at])
        (count,) = cursor.fetchone()
    if next(_counted) % SWEEP_EVERY == 0:
        RateCount.objects.filter(expires_at__lt=datetime.now(tz=UTC)).delete()
    return count
