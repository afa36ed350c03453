"""Web processes killed while people submit: every reference shown to a person is in
the database exactly once, with exactly one "submitted" event, and nothing else.

The short form (in `make test`) kills gunicorn workers with SIGKILL while simulated
people walk the journey; people whose page fails do what people do, and send it again.
The full form (`make resilience`, IER_RESILIENCE_FULL=1, on a PostgreSQL test database
of its own) also kills the whole node and starts it again, and restarts PostgreSQL."""

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


class Person(Applicant):
    """Sends a page again when it fails, as a person would; remembers the reference
    the service showed, if it showed one."""

    shown: str | None = None

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
    for command in (
        ["migrate", "--noinput"],
        ["seed", "--postcodes-per-authority", "1"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run(
            [sys.executable, "-m", "ier.cli", *command],
            env=env,
            check=True,
            capture_output=True,
            cwd=PROJECT,
        )
    node = Node(env, free_port()).start()
    yield node, var
    node.crash()


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


def faults(node) -> list:
    kill_workers = [node.kill_a_worker] * 3
    if not FULL:
        return kill_workers
    return [*kill_workers, lambda: (node.crash(), node.start()), restart_postgresql]


def test_every_reference_shown_is_stored_exactly_once(service):
    node, var = service
    home = address(node, var)
    people, threads = people_applying(node, home, 40 if FULL else 12, clients=4)
    for fault in faults(node):
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
