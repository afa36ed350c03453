"""Helpers for verification tests: an identity service in-process (through httpx's
WSGI transport), synthetic people on its records, and a verifier that never sleeps."""

import httpx
from django.conf import settings

from ier.geography.models import Address
from ier.identity.seeding import write_population
from ier.identity.service import Faults, IdentityService
from ier.identity.synthetic import make_applicants, make_population
from ier.verification.client import IdentityClient
from ier.verification.pipeline import Verifier
from ier.verification.resilience import CircuitBreaker

IDENTITY_URL = "http://identity.test"


def identity_transport(
    faults: Faults | None = None, seed: int = 1
) -> httpx.WSGITransport:
    service = IdentityService(
        settings.IDENTITY_SERVICE_TOKEN, faults, seed=seed, manage_connections=False
    )
    return httpx.WSGITransport(app=service)


def on_record(size: int, seed: int = 11):
    """`size` synthetic people on the identity service's records; returns the people
    and the applicants made from them."""
    people = make_population(size, seed)
    cases = make_applicants(people, seed)
    write_population(people, cases)
    return people, cases


def some_addresses(count: int = 20) -> list[Address]:
    return list(Address.objects.filter(synthetic=True).order_by("uprn")[:count])


def a_verifier(
    transport: httpx.BaseTransport | None = None,
    worker: str = "test-worker",
    batch_size: int = 100,
    breaker: CircuitBreaker | None = None,
) -> Verifier:
    client = IdentityClient(
        base_url=IDENTITY_URL, transport=transport or identity_transport()
    )
    return Verifier(
        worker,
        client=client,
        breaker=breaker,
        batch_size=batch_size,
        sleep=lambda seconds: None,
    )


def drain(verifier: Verifier, rounds: int = 200) -> int:
    """Verify batches until none is ready; returns how many tasks were handled."""
    handled = 0
    for _ in range(rounds):
        done = verifier.verify_next_batch()
        if not done:
            return handled
        handled += done
    raise AssertionError("the queue did not drain")
