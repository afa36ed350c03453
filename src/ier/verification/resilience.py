"""Waiting well when the identity service fails: exponential backoff with jitter,
and a circuit breaker so a worker stops calling a service that is down and tries
again by itself later."""

import random
import time
from collections.abc import Callable


def backoff_seconds(
    attempt: int, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """How long to wait before attempt `attempt + 1`: doubling from `base`, never
    above `cap`, and drawn between half and all of that so that many workers (or
    many applications) failing together do not all come back at the same moment."""
    ceiling = min(cap, base * 2 ** max(0, attempt - 1))
    return ceiling * (0.5 + (rng or random).random() / 2)


class CircuitBreaker:
    """Closed: calls go through. After `failures_to_open` failures in a row it opens
    and refuses calls for a cool-down; then it lets one small probe through
    (half-open). A success closes it; a failure opens it again for twice as long."""

    CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"

    def __init__(
        self,
        failures_to_open: int,
        cooldown: float,
        max_cooldown: float,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ):
        self.failures_to_open = failures_to_open
        self.cooldown = cooldown
        self.max_cooldown = max_cooldown
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 - jitter only  # nosec B311
        self.state = self.CLOSED
        self.failures = 0
        self.trips = 0
        self.open_until = 0.0

    def allows_call(self) -> bool:
        if self.state == self.OPEN and self.clock() >= self.open_until:
            self.state = self.HALF_OPEN
        return self.state != self.OPEN

    @property
    def probing(self) -> bool:
        return self.state == self.HALF_OPEN

    def seconds_until_retry(self) -> float:
        return (
            max(0.0, self.open_until - self.clock()) if self.state == self.OPEN else 0.0
        )

    def succeeded(self) -> None:
        self.state, self.failures, self.trips = self.CLOSED, 0, 0

    def failed(self) -> None:
        self.failures += 1
        if self.state == self.HALF_OPEN or self.failures >= self.failures_to_open:
            self.trips += 1
            wait = backoff_seconds(
                self.trips, self.cooldown, self.max_cooldown, self.rng
            )
            self.state, self.open_until = self.OPEN, self.clock() + wait
