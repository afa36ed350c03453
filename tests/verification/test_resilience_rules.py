import random

from ier.verification.resilience import CircuitBreaker, backoff_seconds


def test_backoff_doubles_from_the_base_up_to_the_cap_with_jitter():
    rng = random.Random(1)
    for attempt, ceiling in [(1, 1), (2, 2), (3, 4), (4, 8), (10, 30)]:
        delays = [backoff_seconds(attempt, 1, 30, rng) for _ in range(200)]
        assert ceiling / 2 <= min(delays) and max(delays) <= ceiling
        assert max(delays) - min(delays) > ceiling / 10


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_breaker_opens_after_failures_in_a_row_and_probes_after_the_cool_down():
    clock = Clock()
    breaker = CircuitBreaker(
        2, cooldown=10, max_cooldown=60, clock=clock, rng=random.Random(2)
    )
    breaker.failed()
    assert breaker.allows_call()
    breaker.failed()
    assert not breaker.allows_call()
    assert 5 <= breaker.seconds_until_retry() <= 10
    clock.now = 10.1
    assert breaker.allows_call() and breaker.probing


def test_a_failed_probe_opens_the_breaker_for_longer_and_a_success_closes_it():
    clock = Clock()
    breaker = CircuitBreaker(
        1, cooldown=10, max_cooldown=60, clock=clock, rng=random.Random(3)
    )
    breaker.failed()
    clock.now = 10.1
    assert breaker.allows_call()
    breaker.failed()
    assert not breaker.allows_call()
    assert breaker.seconds_until_retry() > 10
    clock.now = 100
    assert breaker.allows_call()
    breaker.succeeded()
    assert breaker.state == CircuitBreaker.CLOSED and not breaker.probing


def test_a_success_resets_the_count_of_failures():
    breaker = CircuitBreaker(2, cooldown=10, max_cooldown=60)
    breaker.failed()
    breaker.succeeded()
    breaker.failed()
    assert breaker.allows_call()
