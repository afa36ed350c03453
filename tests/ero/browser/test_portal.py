"""An officer uses the portal in a real browser, with and without JavaScript, and
every page they see passes axe-core."""

import json
import sqlite3
import time
from datetime import date, timedelta

import pytest
from cryptography.fernet import Fernet
from django_otp.oath import totp
from playwright.sync_api import expect

from ier.registration.references import ALPHABET, is_valid_reference
from tests.browser.axe import assert_accessible
from tests.browser.fixtures import ier

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 7"
MAKE_APPLICATION = """
from django.utils import timezone
from ier.geography.models import Authority
from ier.registration.models import Status
from tests.api.factories import create_application
authority = Authority.objects.get(gss_code="{gss}")
create_application(authority, Status.DOWNLOADED, verified_as=Status.PARTIAL,
                   downloaded_at=timezone.now(), reference="{reference}")
"""
# A valid reference (its check character right), so the search recognises it.
REFERENCE = next(
    "BCDFGHJKM" + ch for ch in ALPHABET if is_valid_reference("BCDFGHJKM" + ch)
)


def code(database, email, steps_ahead=0):
    """The authenticator app's code, from the device key the service stored
    (encrypted with the demo's field key, kept beside its database)."""
    with sqlite3.connect(database) as db:
        token = db.execute(
            "SELECT d.key FROM ero_authenticatordevice d "
            "JOIN auth_user u ON u.id = d.user_id "
            "WHERE u.username = ?",
            (email,),
        ).fetchone()[0]
    keys = json.loads((database.parent / "demo-keys.json").read_text())
    key = Fernet(keys["field_key"]).decrypt(token.encode()).decode()
    value = totp(bytes.fromhex(key), t0=-30 * steps_ahead)
    return "%06d" % value


def service_env(service):
    import os

    return {
        **os.environ,
        "IER_MODE": "demo",
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.demo",
        "IER_VAR_DIR": str(service.database.parent),
    }


@pytest.fixture(scope="module")
def gss(service, tmp_path_factory):
    """The authority under test, with one application waiting for a decision."""
    code = service.query(
        "SELECT gss_code FROM geography_authority ORDER BY gss_code LIMIT 1"
    )[0][0]
    ier(
        service_env(service),
        "shell",
        "-c",
        MAKE_APPLICATION.format(gss=code, reference=REFERENCE),
    )
    # A coming poll of the council: the dashboard then charts its run-up.
    poll = date.today() + timedelta(days=40)
    elections = tmp_path_factory.mktemp("elections") / "poll.csv"
    elections.write_text(
        "election_id,title,poll_date,election_type,councils,division\n"
        "local.portal.%s,Portal test poll,%s,local,%s,\n" % (poll, poll, code)
    )
    ier(service_env(service), "import-elections", str(elections))
    return code


@pytest.fixture
def manager_email(service, gss):
    """A new manager (each test its own: an authenticator code works only once)."""
    email = "manager.%d@example.gov.uk" % int(time.time() * 1000)
    link = ier(
        service_env(service),
        "invite-officer",
        "--authority",
        gss,
        "--email",
        email,
        "--base-url",
        service.base_url,
    ).stdout.strip()
    return email, link


def accept_invitation(page, service, email, link):
    page.goto(link)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code from your authenticator app").fill(
        code(service.database, email)
    )
    page.get_by_role("button", name="Finish").click()


def test_manager_accepts_invitation_signs_in_and_every_page_is_accessible(
    page,
    service,
    manager_email,
):
    email, link = manager_email
    page.goto(link)
    assert_accessible(page)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    assert "Set up your authenticator app" in page.content()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Finish").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    time.sleep(2)  # after a wrong code the device waits before checking another
    page.get_by_label("Code from your authenticator app").fill(
        code(service.database, email)
    )
    page.get_by_role("button", name="Finish").click()

    assert "/ero/sign-in/" in page.url
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(
        code(service.database, email, steps_ahead=1)
    )
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Dashboard"
    expect(page.get_by_text("The next registration deadline")).to_be_visible()
    assert_accessible(page)

    for path in (
        "/ero/applications/",
        "/ero/applications/%s/" % REFERENCE,
        "/ero/team/",
        "/ero/tokens/",
        "/ero/audit/",
    ):
        page.goto(service.base_url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)

    page.goto(service.base_url + "/ero/applications/%s/" % REFERENCE)
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    page.goto(service.base_url + "/ero/contact-details/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Save contact details").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("elections@example.gov.uk")
    page.get_by_role("button", name="Save contact details").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(page)


def test_portal_works_without_javascript(page_without_js, service, manager_email):
    email, link = manager_email
    page = page_without_js
    accept_invitation(page, service, email, link)
    assert "/ero/sign-in/" in page.url
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code from your authenticator app").fill(
        code(service.database, email, steps_ahead=1)
    )
    page.get_by_role("button", name="Sign in").click()
    page.goto(service.base_url + "/ero/applications/")
    page.get_by_label("Reference, name or postcode").fill(REFERENCE)
    page.get_by_role("button", name="Search").click()
    # The search was posted: its results are at an opaque id, not the text.
    assert "?s=" in page.url and REFERENCE.lower() not in page.url.lower()
    results = page.url
    page.get_by_role("link", name=REFERENCE).click()
    page.get_by_label("Add a note").fill("Checked the council tax record")
    page.get_by_role("button", name="Save note").click()
    assert "Checked the council tax record" in page.content()
    page.get_by_role("link", name="Back", exact=True).click()
    assert page.url == results
    expect(page.get_by_role("link", name=REFERENCE)).to_be_visible()
