import os
import tomllib
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from tests.browser.fixtures import (  # noqa: F401 - one browser for every test module
    browser,
    page,
    page_without_js,
    service,
)
from tests.pagecheck import check_page, is_welsh


class CheckedClient(Client):
    """Django's test client, checking every HTML page it receives (opt out per call
    with check=False)."""

    def request(self, **request):
        check = request.pop("check", True)
        response = super().request(**request)
        if (
            check
            and response.status_code not in (301, 302, 303, 500)
            and "text/html" in response.get("Content-Type", "")
        ):
            check_page(response, self.english_twin(request, response))
        return response

    def english_twin(self, request, response):
        """The same page in English, for a Welsh page fetched with GET: fetched
        with the same cookies, which are then put back as they were."""
        path = request.get("PATH_INFO", "")
        if request.get("REQUEST_METHOD") != "GET" or not path.startswith("/cy/"):
            return None
        if not is_welsh(response):
            return None
        cookies = SimpleCookie(self.cookies.output(header="", sep=";"))
        english = super().request(**{**request, "PATH_INFO": path[len("/cy") :]})
        self.cookies = cookies
        return english if english.status_code == response.status_code else None


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached figures live in the cache: start each test
    with none, as a test on its own would."""
    from django.core.cache import cache

    from ier.citizen.addressing import _listed_address, _postcode_known
    from ier.citizen.validity import VALIDITY

    cache.clear()
    _listed_address.cache_clear()
    _postcode_known.cache_clear()
    VALIDITY.clear()
    yield


@pytest.fixture
def client():
    return CheckedClient()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the councils and a small synthetic country."""
    with django_db_blocker.unblock():
        _seed()


def _seed():
    from ier.geography.importers import (
        default_authorities_file,
        default_scotland_file,
        import_authorities,
    )
    from ier.geography.seeding import seed_country

    import_authorities(default_authorities_file(), default_scotland_file())
    seed_country(seed=7, postcodes_per_authority=2)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test that commits for real (django_db(transaction=True)) ends by emptying
    every table, the seeded country with them: seed it again for the tests that
    follow on the same database."""
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        _seed()


@pytest.fixture(scope="session", autouse=True)
def _on_the_database_asked_for():
    """A pass told to use PostgreSQL runs on PostgreSQL: were it to fall back to
    SQLite, every PostgreSQL-only test would skip and the pass still be green."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres:", "postgresql:")):
        assert connection.vendor == "postgresql", connection.vendor


KNOWN_SKIPS = Path(__file__).with_name("known_skips.toml")
SKIPPED: list[str] = []  # node ids, as the run's reports come in
UNKNOWN = pytest.StashKey[list[str]]()


def known_skip(nodeid: str, database: str) -> bool:
    with KNOWN_SKIPS.open("rb") as handle:
        known = tomllib.load(handle)["skip"]
    return any(
        (nodeid == entry["tests"] or nodeid.startswith(entry["tests"] + "::"))
        and entry["database"] in ("any", database)
        for entry in known
    )


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        SKIPPED.append(report.nodeid)


def pytest_collectreport(report):
    if report.skipped:
        SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session):
    """Every skip must be a known one (tests/known_skips.toml): any other fails the
    run, whatever else passed."""
    if hasattr(session.config, "workerinput"):
        return  # the controller of a parallel run counts its workers' reports
    unknown = [n for n in SKIPPED if not known_skip(n, connection.vendor)]
    session.config.stash[UNKNOWN] = unknown
    if unknown and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    if hasattr(config, "workerinput"):
        return
    unknown = config.stash.get(UNKNOWN, [])
    terminalreporter.write_line(
        "skipped on %s: %d, %d of them not in tests/known_skips.toml"
        % (connection.vendor, len(SKIPPED), len(unknown)),
        red=bool(unknown),
    )
    for nodeid in unknown:
        terminalreporter.write_line(
            "unknown skip (fails the run): %s" % nodeid, red=True
        )
