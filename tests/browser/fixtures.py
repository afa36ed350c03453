"""A real service for the browser tests: `ier serve` on a loopback port, with its
own SQLite file, seeded with a small synthetic country."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ier(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "ier.cli", *args],
        env=env,
        check=True,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        **kwargs,
    )


class Service:
    def __init__(self, base_url: str, database: Path):
        self.base_url = base_url
        self.database = database

    def query(self, sql: str, *params):
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, params).fetchall()

    def sample_address(self, nation: str):
        return self.query(
            "SELECT a.postcode, a.uprn, a.line_1 FROM geography_address a "
            "JOIN geography_authority g ON g.id = a.authority_id "
            "WHERE g.nation = ? ORDER BY a.uprn LIMIT 1",
            nation,
        )[0]


@pytest.fixture(scope="session")
def service(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "IER_MODE": "demo",
        "IER_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.demo",
        # Every browser test comes from 127.0.0.1: the per-address status limit
        # would otherwise depend on the order the tests run in.
        "IER_STATUS_LOOKUPS_PER_WINDOW": "10000",
    }
    ier(env, "migrate", "--noinput")
    ier(env, "seed", "--postcodes-per-authority", "1")
    ier(env, "collectstatic", "--noinput")
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ier.cli",
            "serve",
            "--bind",
            "127.0.0.1:%d" % port,
            "--workers",
            "2",
        ],
        env=env,
        cwd=PROJECT,
    )
    base = "http://127.0.0.1:%d" % port
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("the service did not start")
    yield Service(base, var / "ier.sqlite3")
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make browser` (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


# Runs in every page before the page's own scripts, exempt from its policy: a
# blocked script, style, image or connection is reported to the test as an error.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
    (event.blockedURI || "inline") + " at " + event.sourceFile + ":" +
    event.lineNumber);
});
"""


class Problems(list):
    """Console errors, uncaught exceptions and CSP violations seen in a page."""

    def watch(self, page) -> None:
        page.on("console", lambda message: self.console(page, message))
        page.on("pageerror", lambda error: self.append("%s: %s" % (page.url, error)))

    def console(self, page, message) -> None:
        # A page's own status (a 404 page a test asks for) is the test's to check;
        # any other resource that fails to load is a problem.
        own_status = message.location.get("url") == page.url and (
            message.text.startswith("Failed to load resource")
        )
        if message.type == "error" and not own_status:
            self.append("%s: %s" % (page.url, message.text))


def watched_page(browser, **options):
    """A page (in a context made with `options`) under the service's own Content
    Security Policy: the test fails on any CSP violation, console error or uncaught
    exception in it. For a fixture to yield from."""
    context = browser.new_context(**options)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    problems = Problems()
    context.on("page", problems.watch)
    opened = context.new_page()
    yield opened
    context.close()
    assert problems == [], "the pages reported problems: %s" % problems


@pytest.fixture
def page(browser):
    """A page under the service's own Content Security Policy (`watched_page`)."""
    yield from watched_page(browser)


@pytest.fixture
def page_without_js(browser):
    """A page with JavaScript turned off, still failing the test on anything the
    browser reports as an error (a style or image the policy blocks, say)."""
    yield from watched_page(browser, java_script_enabled=False)
