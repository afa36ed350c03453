"""Processes killed while people submit: every reference shown to a person is in the
database exactly once, with exactly one "submitted" event, and nothing else; and once
everything is running again each of them is verified exactly once.

Beside the web node run `ier worker` and the identity service, each a real process.
The short form (in `make test`) kills, with SIGKILL, gunicorn workers, the worker
(started again as a supervisor would) and the identity service (started again) while
simulated people walk the journey; people whose page fails do what people do, and
send it again. Each fault is shown to have landed mid-work: requests cut off in
flight, pages sent again, and verification claims left behind by the killed worker
are counted, and the test fails if a kind of fault hit nothing.

It runs on PostgreSQL when DATABASE_URL names it (CI's PostgreSQL pass), in a
database of its own beside the named one, and on the demo's SQLite otherwise. The
full form (`make resilience`, IER_RESILIENCE_FULL=1, on PostgreSQL) does so with
more people, and also kills the whole web node and starts it again, and restarts
PostgreSQL."""

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
# A kill lands between requests more often when the machine is busy (the clients
# are slow to send the next one); each try is short, so many are allowed.
MAX_WORKER_KILLS = 40
KILL_EVERY_SECONDS = 0.5
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
    def __init__(self, env: dict, var: Path, port: int, *faults: str):
        self.url = "http://127.0.0.1:%d" % port
        bind = ["--bind", "127.0.0.1:%d" % port, "--workers", "1", "--people", "50"]
        arguments = ["identity-service", *bind, *faults]
        super().__init__(env, arguments, var / "identity.log")

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


class Tally:
    """What the faults did: requests cut off while in flight (the connection closed
    under them), pages sent again, verification claims a killed worker held."""

    def __init__(self):
        self.lock = threading.Lock()
        self.interrupted = self.retries = self.claims_cut = 0

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)


TALLY = Tally()
CUT_OFF = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


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
        for attempt in range(attempts):
            try:
                return action()
            except (httpx.HTTPError, AssertionError) as failure:
                self.failures += 1
                TALLY.add(
                    interrupted=isinstance(failure, CUT_OFF),
                    retries=attempt + 1 < attempts,
                )
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
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = resilience_database()
    else:
        assert not FULL, "the full form restarts PostgreSQL: give it DATABASE_URL"
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
    # Each batch waits on the identity service a while, so a killed worker is
    # caught holding claims.
    identity = Identity(env, var, identity_port, "--delay-ms", "150").start()
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
    """A database of this test's own beside DATABASE_URL's, made afresh."""
    url, name = os.environ["DATABASE_URL"].rsplit("/", 1)
    name = name.split("?")[0] + "_resilience"
    for sql in (
        "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name,
        "CREATE DATABASE %s" % name,
    ):
        subprocess.run(["psql", url + "/postgres", "-qc", sql], check=True)
    return "%s/%s" % (url, name)


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


def claims(node, var) -> int:
    """Applications a worker has claimed and not yet decided."""
    return int(
        rows(
            node.env.get("DATABASE_URL"),
            var / "ier.sqlite3",
            "SELECT COUNT(*) FROM registration_application WHERE status = 'verifying'",
        )[0][0]
    )


def kill_web_workers_until_a_request_is_cut_off(node) -> None:
    """SIGKILL a gunicorn worker, again while no request in flight has been cut off
    by it (a worker killed between requests proves nothing)."""
    for _ in range(MAX_WORKER_KILLS):
        before = TALLY.interrupted
        node.kill_a_worker()
        time.sleep(KILL_EVERY_SECONDS)
        if TALLY.interrupted > before:
            return


def kill_the_worker_mid_batch(node, var, worker) -> None:
    """SIGKILL `ier worker` while it holds claims, and start it again as a
    supervisor would once they may be taken back."""
    deadline = time.monotonic() + 30
    while not claims(node, var) and time.monotonic() < deadline:
        time.sleep(0.02)
    worker.crash()
    TALLY.add(claims_cut=claims(node, var))
    time.sleep(STUCK_SECONDS + 0.5)
    worker.start()


def faults(node, worker, identity) -> list:
    common = [
        lambda: kill_web_workers_until_a_request_is_cut_off(node),
        lambda: identity.restart(after=1.0),
    ]
    if not FULL:
        return [*common, node.kill_a_worker]
    return [
        *common,
        node.kill_a_worker,
        node.kill_a_worker,
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
    people, threads = people_applying(node, home, 40 if FULL else 16, clients=4)
    # The worker is killed at its first claims, whenever they come, while people
    # are still walking the journey for the faults below.
    cutting = threading.Thread(
        target=kill_the_worker_mid_batch, args=(node, var, worker)
    )
    cutting.start()
    for fault in faults(node, worker, identity):
        time.sleep(1.5)
        fault()
    cutting.join(timeout=120)
    for thread in threads:
        thread.join(timeout=600)
    shown = [person.shown for person in people]
    assert None not in shown, "someone finished without seeing a reference"
    tally = vars(TALLY)
    assert TALLY.interrupted > 0, ("no fault cut off a request in flight", tally)
    assert TALLY.retries >= TALLY.interrupted, ("cut-off pages sent again", tally)
    assert TALLY.claims_cut > 0, ("the worker was never killed holding claims", tally)
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
