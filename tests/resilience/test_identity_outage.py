"""The identity service as a real process on a loopback port, stopped and started
while applications arrive: every application ends verified exactly once, none lost.

The worker runs in the test's own process (on its database), with short waits so the
test takes seconds: the same code `ier worker` runs, with the timing turned down."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter

import httpx
import pytest
from django.db.models import Count
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ier.identity.synthetic import make_applicants, make_population
from ier.registration.models import Application, ApplicationEvent, Status
from ier.verification.client import IdentityClient
from ier.verification.models import Verification
from ier.verification.pipeline import Verifier
from ier.verification.resilience import CircuitBreaker
from ier.verification.synthetic import submit_cases
from ier.verification.tasks import QUEUE
from tests.verification.helpers import some_addresses

pytestmark = [pytest.mark.resilience, pytest.mark.django_db]
PEOPLE, SEED = 200, 21
QUICK = {
    "VERIFICATION_REQUEUE_BASE_SECONDS": 0.05,
    "VERIFICATION_REQUEUE_MAX_SECONDS": 0.4,
    "VERIFICATION_RETRY_BASE_SECONDS": 0.02,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class IdentityProcess:
    """`ier identity-service` in its own process group, with its own SQLite file."""

    def __init__(self, directory, port: int, *faults: str):
        self.directory, self.port, self.faults = directory, port, faults
        self.url = "http://127.0.0.1:%d" % port
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "IdentityProcess":
        env = {
            **os.environ,
            "IER_MODE": "test",
            "DATABASE_URL": "sqlite:///%s" % (self.directory / "identity.sqlite3"),
        }
        command = [
            sys.executable,
            "-m",
            "ier.cli",
            "identity-service",
            "--bind",
            "127.0.0.1:%d" % self.port,
            "--workers",
            "1",
            "--people",
            str(PEOPLE),
            "--seed",
            str(SEED),
            *self.faults,
        ]
        log = (self.directory / "identity.log").open("ab")
        self.process = subprocess.Popen(
            command, env=env, stdout=log, stderr=log, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (
                self.directory / "identity.log"
            ).read_text()
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/v1/health", timeout=0.5).status_code == 200:
                    return self
            time.sleep(0.1)
        raise AssertionError("the identity service did not start")

    def crash(self) -> None:
        """Kill it and its workers at once, as a machine failure would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def identity(tmp_path):
    started = []

    def start(*faults):
        service = IdentityProcess(tmp_path, free_port(), *faults).start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.crash()


@pytest.fixture
def cases():
    """The applicants made from the people the identity process has on record."""
    return make_applicants(make_population(PEOPLE, SEED), SEED)


@pytest.fixture
def applicants():
    addresses = some_addresses()
    return lambda chosen: submit_cases(chosen, addresses)


def a_worker(url: str) -> Verifier:
    return Verifier(
        "resilience-worker",
        client=IdentityClient(base_url=url, timeout=2),
        breaker=CircuitBreaker(failures_to_open=2, cooldown=0.2, max_cooldown=1.0),
        batch_size=25,
    )


def work(verifier: Verifier, seconds: float, until=lambda: False) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        if not verifier.verify_next_batch():
            time.sleep(0.02)


def all_decided(ids) -> bool:
    waiting = [Status.SUBMITTED, Status.VERIFYING]
    return not Application.objects.filter(pk__in=ids, status__in=waiting).exists()


def assert_each_verified_exactly_once(made: dict) -> None:
    ids = list(made)
    per_application = dict(
        Verification.objects.filter(application_id__in=ids)
        .values_list("application_id")
        .annotate(n=Count("pk"))
    )
    assert per_application == dict.fromkeys(ids, 1)
    results = Counter(
        ApplicationEvent.objects.filter(
            application_id__in=ids, event="verification"
        ).values_list("application_id", flat=True)
    )
    assert results == Counter(ids)
    statuses = dict(Application.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert {pk: statuses[pk] for pk in ids} == {pk: made[pk].expected for pk in ids}
    assert not DBTaskResult.objects.filter(
        queue_name=QUEUE, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).exists()


@override_settings(**QUICK)
def test_applications_arriving_while_the_identity_service_is_down_are_verified_after(
    identity, applicants, cases
):
    service = identity()
    verifier = a_worker(service.url)

    before = applicants(cases[:40])
    work(verifier, 30, until=lambda: all_decided(before))
    assert all_decided(before)

    service.crash()
    during = applicants(cases[40:100])
    work(verifier, 1.5)
    assert verifier.breaker.state != CircuitBreaker.CLOSED
    assert not Verification.objects.filter(application_id__in=during).exists()
    assert not Application.objects.filter(
        pk__in=during, status=Status.VERIFYING
    ).exists()
    assert ApplicationEvent.objects.filter(event="verification_deferred").exists()
    during.update(applicants(cases[100:130]))

    restarted = IdentityProcess(service.directory, service.port).start()
    try:
        work(verifier, 60, until=lambda: all_decided(during))
    finally:
        restarted.crash()
    assert_each_verified_exactly_once({**before, **during})


@override_settings(**QUICK)
def test_a_slow_and_flaky_identity_service_still_verifies_each_application_once(
    identity, applicants, cases
):
    service = identity("--failure-rate", "0.4", "--delay-ms", "20")
    verifier = a_worker(service.url)
    made = applicants(cases[:80])
    work(verifier, 60, until=lambda: all_decided(made))
    assert_each_verified_exactly_once(made)
