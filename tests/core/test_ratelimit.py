"""Rate-limit counts, in Redis's place (Django's cache) and in the database."""

import pytest

from ier.core import ratelimit
from ier.core.models import RateCount

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("store", ["cache", "database"])
def test_an_identity_is_refused_past_its_limit_until_the_next_window(
    settings, monkeypatch, store
):
    settings.RATE_COUNTS = store
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    answers = [ratelimit.hit("test", "192.0.2.1", 3, 60) for _ in range(4)]
    assert answers == [True, True, True, False]
    assert ratelimit.hit("test", "192.0.2.2", 3, 60)  # another address
    assert ratelimit.hit("other", "192.0.2.1", 3, 60)  # another limit
    now[0] += 60
    assert ratelimit.hit("test", "192.0.2.1", 3, 60)


def test_the_database_keeps_a_hash_never_the_address(settings):
    settings.RATE_COUNTS = "database"
    ratelimit.hit("status", "192.0.2.77", 10, 900)
    (bucket,) = RateCount.objects.values_list("bucket", flat=True)
    assert "192.0.2.77" not in bucket


def test_ended_windows_are_swept(settings, monkeypatch):
    settings.RATE_COUNTS = "database"
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    monkeypatch.setattr(ratelimit, "SWEEP_EVERY", 1)
    ratelimit.hit("test", "192.0.2.1", 3, 60)
    now[0] += 10**9  # long after that window ended
    monkeypatch.setattr(
        ratelimit, "datetime", _Clock(ratelimit.datetime, now), raising=True
    )
    ratelimit.hit("test", "192.0.2.2", 3, 60)
    assert RateCount.objects.count() == 1


class _Clock:
    """`datetime` with `now()` following the patched `time.time()`."""

    def __init__(self, real, now):
        self.real, self.now_at = real, now

    def fromtimestamp(self, *args, **kwargs):
        return self.real.fromtimestamp(*args, **kwargs)

    def now(self, tz=None):
        return self.real.fromtimestamp(self.now_at[0], tz=tz)
