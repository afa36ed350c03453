"""Processes killed while people submit: every reference shown to a person is in the
database exactly once, with exactly one "submitted" event, and nothing else; and once
everything is running again each of them is verified exactly once.

Beside the web node run `ier worker` and the identity service, each a real process.
The short form (in `make test`) kills, with SIGKILL, gunicorn workers, the worker
(started again as a supervisor would) and the identity service (started again) while
simulated people walk the journey; people whose page fails do what people do, and
send it again. The full form (`make resilience`, IER_RESILIENCE_FULL=1, on a
PostgreSQL test database of its own) does so with more people, and also kills the
whole web node and starts it again, and restarts PostgreSQL."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.resilience

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT / "benchmarks"))
from journey import Applicant, free_port  # noqa: E402

FULL = os.environ.get("IER_RESILIENCE_FULL") == "1"
STUCK_SECONDS = 1
WAITING = ("submitted", "verifying")
REFERENCE = re.compile(r"<strong>([A-Z0-9]{5}) ([A-Z0-9]{5})</strong>")


class Node:
    """One web node: a gunicorn master and its workers, in a process group."""

    def __init__(self, env: dict, port: int):
        self.env, self.port = env, port
        self.base = "http://127.0.0.1:%d" % port
        self.process: subprocess.Popen | None = None

    def start(self) -> "Node":
        env = {
            **self.env,
            "IER_BIND": "127.0.0.1:%d" % self.port,
            "IER_GUNICORN_WORKERS": "2",
            "IER_GUNICORN_THREADS": "2",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(PROJECT / "deploy" / "gunicorn.conf.py"),
                "ier.config.wsgi:application",
            ],
            env=env,
            cwd=PROJECT,
            start_new_session=True,
        )
        for _ in range(600):
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("the web node did not start")

    def workers(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout
        return [int(pid) for pid in out.split()]

    def kill_a_worker(self) -> None:
        workers = self.workers()
        if workers:
            os.kill(workers[0], signal.SIGKILL)

    def crash(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


class Background:
    """`ier worker` or the identity service: one process in its own group, which a
    fault kills with SIGKILL and a supervisor starts again."""

    def __init__(self, env: dict, arguments: list[str], log: Path):
        self.env, self.arguments, self.log = env, arguments, log
        self.process: subprocess.Popen | None = None

    def start(self) -> "Background":
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ier.cli", *self.arguments],
                env=self.env,
                cwd=PROJECT,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        return self

    def crash(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def restart(self, after: float = 0.0) -> None:
        self.crash()
        time.sleep(after)
        self.start()


class Identity(Background):
    def __init__(self, env: dict, var: Path, port: int):
        self.url = "http://127.0.0.1:%d" % port
        bind = ["--bind", "127.0.0.1:%d" % port, "--workers", "1", "--people", "50"]
        super().__init__(env, ["identity-service", *bind], var / "identity.log")

    def start(self) -> "Identity":
        super().start()
        for _ in range(600):
            assert self.process.poll() is None, self.log.read_text()[-2000:]
            try:
                if httpx.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("the identity service did not start")


class Person(Applicant):
    """Sends a page again when it fails, as a person would; remembers the reference
    the service showed, if it showed one, and how many pages failed on the way."""

    shown: str | None = None
    failures = 0

    def __init__(self, *args):
        super().__init__(*args)
        get = self.client.get

        def get_again(*a, **k):  # a GET is safe to send again
            return self._again(lambda: get(*a, **k))

        self.client.get = get_again

    def page(self, path):
        text = Applicant.page(self, path)
        found = REFERENCE.search(text)
        self.shown = "".join(found.groups()) if found else self.shown
        return text

    def answer(self, path, data, expect_error=False):
        return self._again(lambda: Applicant.answer(self, path, data, expect_error))

    def _again(self, action, attempts=120):
        for _ in range(attempts):
            try:
                return action()
            except (httpx.HTTPError, AssertionError):
                self.failures += 1
                time.sleep(0.25)
        raise AssertionError("the service did not come back")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "IER_MODE": "demo",
        "IER_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.demo",
        "IER_ADMISSION_NEW_IN_FLIGHT": "0",
        "IER_ADMISSION_MAX_IN_FLIGHT": "0",
        "IER_LOG_LEVEL": "CRITICAL",
    }
    if FULL:
        env["DATABASE_URL"] = resilience_database()
    else:
        env.pop("DATABASE_URL", None)
    assert ier(env, "migrate", "--noinput").wait() == 0  # also writes the demo keys
    # Collecting (and compressing) the assets is the slowest step and touches no
    # database: it runs beside the seeding.
    preparing = [
        ier(env, "collectstatic", "--noinput"),
        ier(env, "seed", "--postcodes-per-authority", "1"),
    ]
    assert [step.wait() for step in preparing] == [0, 0]
    identity_port = free_port()
    env["IER_IDENTITY_SERVICE_URL"] = "http://127.0.0.1:%d" % identity_port
    # A worker's claims are given up this long after it died; the worker started
    # again waits as long, so its first sweep finds them.
    env["IER_VERIFICATION_STUCK_SECONDS"] = str(STUCK_SECONDS)
    identity = Identity(env, var, identity_port).start()
    worker = Background(env, ["worker", "--poll", "0.2"], var / "worker.log").start()
    node = Node(env, free_port()).start()
    yield node, var, worker, identity
    for process in (node, worker, identity):
        process.crash()


def ier(env: dict, *arguments: str) -> subprocess.Popen:
    """An `ier` command, its output kept in the test's var directory."""
    log = Path(env["IER_VAR_DIR"]) / ("%s.log" % arguments[0])
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "ier.cli", *arguments],
            env=env,
            cwd=PROJECT,
            stdout=out,
            stderr=out,
        )


def resilience_database() -> str:
    """A database of this test's own on the local cluster, made afresh."""
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    for sql in (
        "DROP DATABASE IF EXISTS ier_resilience WITH (FORCE)",
        "CREATE DATABASE ier_resilience",
    ):
        subprocess.run(["psql", url + "/postgres", "-qc", sql], check=True)
    return url + "/ier_resilience"


def rows(env_url: str | None, database: Path, sql: str) -> list:
    if env_url:
        out = subprocess.run(
            ["psql", env_url, "-Atc", sql], capture_output=True, text=True, check=True
        ).stdout
        return [tuple(line.split("|")) for line in out.splitlines()]
    with sqlite3.connect(database) as db:
        return [tuple(str(v) for v in row) for row in db.execute(sql).fetchall()]


def address(node, var) -> tuple[str, int]:
    found = rows(
        node.env.get("DATABASE_URL"),
        var / "ier.sqlite3",
        "SELECT a.postcode, a.uprn FROM geography_address a JOIN "
        "geography_authority g ON g.id = a.authority_id WHERE "
        "g.nation = 'England' ORDER BY a.uprn LIMIT 1",
    )[0]
    return found[0], int(found[1])


def restart_postgresql() -> None:
    version = os.listdir("/etc/postgresql")[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
    )


def people_applying(node, home, count: int, clients: int) -> list[Person]:
    people = [Person(node.base, home, 5000 + i) for i in range(count)]

    def work(offset):
        for person in people[offset::clients]:
            person.apply()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    return people, threads


def faults(node, worker, identity) -> list:
    kill_workers = [node.kill_a_worker] * 3
    background = [
        lambda: worker.restart(after=STUCK_SECONDS + 0.5),
        lambda: identity.restart(after=1.0),
    ]
    if not FULL:
        return [kill_workers[0], *background, kill_workers[1]]
    return [
        *kill_workers,
        *background,
        lambda: (node.crash(), node.start()),
        restart_postgresql,  # the worker lives through it, and must
    ]


def waiting_for_verification(node, var, references: list[str]) -> int:
    return int(
        rows(
            node.env.get("DATABASE_URL"),
            var / "ier.sqlite3",
            "SELECT COUNT(*) FROM registration_application WHERE status IN "
            "('submitted', 'verifying') AND reference IN (%s)"
            % ",".join("'%s'" % ref for ref in references),
        )[0][0]
    )


def test_every_reference_shown_is_stored_and_verified_exactly_once(service):
    node, var, worker, identity = service
    home = address(node, var)
    people, threads = people_applying(node, home, 40 if FULL else 12, clients=4)
    for fault in faults(node, worker, identity):
        time.sleep(1.5)
        fault()
    for thread in threads:
        thread.join(timeout=600)
    shown = [person.shown for person in people]
    assert None not in shown, "someone finished without seeing a reference"
    stored = rows(
        node.env.get("DATABASE_URL"),
        var / "ier.sqlite3",
        "SELECT a.reference, COUNT(e.id) FROM registration_application a "
        "LEFT JOIN registration_applicationevent e ON e.application_id = "
        "a.id AND e.event = 'submitted' GROUP BY a.reference",
    )
    events = dict(stored)
    assert sorted(events) == sorted(shown), "applications stored once each, no others"
    assert set(events.values()) == {"1"}, "each with exactly one submitted event"

    deadline = time.monotonic() + 120
    while waiting_for_verification(node, var, shown) and time.monotonic() < deadline:
        assert worker.process.poll() is None, worker.log.read_text()[-3000:]
        time.sleep(0.5)
    assert worker.process.poll() is None, "the worker lived through every fault"
    verified = rows(
        node.env.get("DATABASE_URL"),
        var / "ier.sqlite3",
        "SELECT a.reference, a.status, (SELECT COUNT(*) FROM "
        "verification_verification v WHERE v.application_id = a.id), (SELECT "
        "COUNT(*) FROM registration_applicationevent e WHERE e.application_id = "
        "a.id AND e.event = 'verification') FROM registration_application a",
    )
    assert sorted(ref for ref, *_ in verified) == sorted(shown)
    assert [(ref, status) for ref, status, *_ in verified if status in WAITING] == [], (
        "every application decided after recovery"
    )
    assert {tuple(counts) for _ref, _status, *counts in verified} == {("1", "1")}, (
        "each verified exactly once, with one verification event"
    )
