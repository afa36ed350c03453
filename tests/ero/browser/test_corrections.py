"""Corrections in a real browser: the officer's correction page, and the
applicant's correction link in English and Welsh; every page passes axe-core."""

import pytest
from playwright.sync_api import expect

from ier.registration.references import ALPHABET, is_valid_reference
from tests.browser.axe import assert_accessible
from tests.browser.fixtures import ier
from tests.ero.browser.test_portal import (
    PASSWORD,
    accept_invitation,
    code,
    manager_email,  # noqa: F401 - a new manager of the authority under test
    service_env,
)

pytestmark = pytest.mark.browser

ENGLISH_TOKEN = "correction-link-english-0123456789abcdefghij"
WELSH_TOKEN = "correction-link-welsh-0123456789abcdefghijkl"
MAKE_APPLICATIONS = """
from datetime import timedelta
from django.utils import timezone
from ier.ero.evidence import token_hash
from ier.ero.models import CorrectionRequest
from ier.geography.models import Authority
from ier.registration.models import Status
from tests.api.factories import create_application
authority = Authority.objects.get(gss_code="{gss}")
create_application(authority, Status.NOT_VERIFIED, reference="{reference}")
for token, language, reference in (
    ("{english}", "en", "{english_reference}"),
    ("{welsh}", "cy", "{welsh_reference}"),
):
    app = create_application(
        authority, Status.NOT_VERIFIED, language=language, reference=reference
    )
    CorrectionRequest.objects.create(
        application=app,
        authority=authority,
        token_hash=token_hash(token),
        groups=["name", "nino", "date_of_birth", "address"],
        requested_by="officer@example.gov.uk",
        expires_at=timezone.now() + timedelta(days=14),
    )
"""


def reference(body: str) -> str:
    return next(body + ch for ch in ALPHABET if is_valid_reference(body + ch))


RED = reference("CDFGHJKMN")
ENGLISH = reference("DFGHJKMNP")
WELSH = reference("FGHJKMNPQ")


@pytest.fixture(scope="module")
def gss(service):
    """The authority under test (the portal's own tests add their application to
    it in the same service: this module adds its own, under other references)."""
    return service.query(
        "SELECT gss_code FROM geography_authority ORDER BY gss_code LIMIT 1"
    )[0][0]


@pytest.fixture(scope="module")
def applications(service, gss):
    ier(
        service_env(service),
        "shell",
        "-c",
        MAKE_APPLICATIONS.format(
            gss=gss,
            reference=RED,
            english=ENGLISH_TOKEN,
            welsh=WELSH_TOKEN,
            english_reference=ENGLISH,
            welsh_reference=WELSH,
        ),
    )


def signed_in(page, service, email, link):
    accept_invitation(page, service, email, link)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code from your authenticator app").fill(
        code(service.database, email, steps_ahead=1)
    )
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Dashboard")


def test_an_officer_corrects_a_nino_and_every_page_is_accessible(
    page,
    service,
    applications,
    manager_email,  # noqa: F811 - the fixture imported above
):
    signed_in(page, service, *manager_email)
    page.goto(service.base_url + "/ero/applications/%s/" % RED)
    page.get_by_role("link", name="Correct the details").click()
    expect(page.locator("h1")).to_contain_text("Correct the details")
    assert_accessible(page)
    page.get_by_label("National Insurance number").fill("QQ 12 34")
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("National Insurance number")).to_have_value("QQ 12 34")
    page.get_by_label("National Insurance number").fill("AB 12 34 56 C")
    page.get_by_label("Why are you correcting these details?").fill(
        "The applicant phoned: one digit was wrong"
    )
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Corrected: nino")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="ask the applicant to check their details").click()
    expect(page.locator("h1")).to_have_text("Ask the applicant to check their details")
    assert_accessible(page)
    page.get_by_role("button", name="Email the applicant").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("National Insurance number").check()
    page.get_by_role("button", name="Email the applicant").click()
    expect(page.get_by_text("Applicant asked to check their details")).to_be_visible()


def test_the_applicant_corrects_once_in_english(page, service, applications):
    path = service.base_url + "/correct/%s/" % ENGLISH_TOKEN
    page.goto(path)
    expect(page.locator("h1")).to_have_text("Check and correct your details")
    assert_accessible(page)
    page.get_by_role("button", name="Send corrected details").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("First name").fill("Ann")
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("National Insurance number").fill("AB 12 34 56 C")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("1981")
    page.get_by_label("Address line 1").fill("1 Example Street")
    page.get_by_label("Town or city").fill("Exampletown")
    page.get_by_label("Postcode").fill("AA3 1AB")
    page.get_by_role("button", name="Send corrected details").click()
    expect(page.locator("h1")).to_have_text("Details sent")
    assert_accessible(page)
    page.goto(path)
    expect(page.locator("h1")).to_have_text("This link no longer works")
    assert_accessible(page)


def test_the_applicant_sees_the_link_in_welsh(page, service, applications):
    page.goto(service.base_url + "/correct/%s/" % WELSH_TOKEN)
    expect(page.locator("h1")).to_have_text("Gwirio a chywiro eich manylion")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert_accessible(page)
    page.get_by_role("button", name="Anfon y manylion wedi'u cywiro").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "Mae problem wedi codi" in page.content()
    assert "Rhowch eich enw cyntaf" in page.content()
    assert_accessible(page)
