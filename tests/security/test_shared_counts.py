"""Lockout and rate limits hold across web processes without Redis: two servers
(as two nodes, or two workers of one) on one database, each request sent to the
other server than the one before, as a load balancer would. The database is a
SQLite file (as the demo's), or a fresh PostgreSQL database when the suite runs on
PostgreSQL."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
IER = str(Path(sys.executable).with_name("ier"))
PASSWORD = "a long and unusual passphrase 7"
MAKE_OPERATOR = (
    "from django.contrib.auth import get_user_model; "
    "get_user_model().objects.create_user('op@example.gov.uk', "
    "'op@example.gov.uk', %r, is_staff=True)" % PASSWORD
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_database(var: Path) -> str:
    """The address of an empty database of the kind the suite runs on."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return "sqlite:///%s" % (var / "ier.sqlite3")
    server, _, name = url.rpartition("/")
    fresh = "%s_servers_%s" % (name, os.environ.get("PYTEST_XDIST_WORKER", "main"))
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(fresh))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    return "%s/%s" % (server, fresh)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(var),
        "IER_MODE": "test",
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.test",
        "DATABASE_URL": fresh_database(var),
        "IER_VAR_DIR": str(var),
        "IER_STATUS_LOOKUPS_PER_WINDOW": "4",
        "IER_GUNICORN_PIN_WORKERS": "0",
        "PYTHONPATH": str(ROOT),
    }
    for command in (["migrate", "-v0"], ["shell", "-c", MAKE_OPERATOR]):
        subprocess.run([IER, *command], env=env, cwd=ROOT, check=True, timeout=600)
    started = []
    for n in range(2):
        port = free_port()
        node = dict(env, IER_RUN_DIR=str(var / ("run%d" % n)))
        process = subprocess.Popen(
            [IER, "serve", "--bind", "127.0.0.1:%d" % port, "--workers", "1"],
            env=node,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append((process, "http://127.0.0.1:%d" % port))
    try:
        for _process, base in started:
            _wait_for(base)
        yield [base for _process, base in started]
    finally:
        for process, _base in started:
            process.terminate()
            process.wait(timeout=30)


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError("%s did not start" % base)


def send(base: str, path: str, data: dict) -> httpx.Response:
    """Fetch the form, then send it, as a browser does (with its CSRF token)."""
    with httpx.Client(base_url=base, timeout=30) as browser:
        form = browser.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        return browser.post(path, data={**data, "csrfmiddlewaretoken": token.group(1)})


def test_an_account_locks_after_failures_spread_over_two_servers(servers):
    for attempt in range(5):  # ERO_SIGNIN_FAILURES
        wrong = send(
            servers[attempt % 2],
            "/ero/sign-in/",
            {"email": "op@example.gov.uk", "password": "wrong password %d" % attempt},
        )
        assert "Enter a correct email address and password" in wrong.text
    right = send(
        servers[1],
        "/ero/sign-in/",
        {"email": "op@example.gov.uk", "password": PASSWORD},
    )
    assert right.status_code == 200
    assert "Your account is locked" in right.text


def test_the_status_lookup_limit_counts_lookups_on_both_servers(servers):
    lookup = {
        "reference": "RTV-AAAA-BBBB",
        "date_of_birth-day": "1",
        "date_of_birth-month": "1",
        "date_of_birth-year": "1990",
    }
    answers = [send(servers[n % 2], "/status/", lookup) for n in range(5)]
    assert [a.status_code for a in answers[:4]] == [200, 200, 200, 200]
    assert answers[4].status_code == 429
