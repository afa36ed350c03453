"""An officer works the moved-out notices in a real browser, with and without
JavaScript: the dashboard counts them, the list and a notice pass axe-core, and
marking one as dealt with takes it off the list."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.fixtures import ier
from tests.ero.browser.test_portal import PASSWORD, accept_invitation, code, service_env

pytestmark = pytest.mark.browser

# The old council's register shows a person the new council then registers.
MAKE_NOTICE = """
from django.utils import timezone
from ier.geography.models import Authority
from ier.registration import handover
from ier.registration.models import MovedOutNotice, Status
from tests.registration.movers import create_home_mover, put_on_register
old = Authority.objects.get(gss_code="{gss}")
new = Authority.objects.exclude(pk=old.pk).order_by("gss_code").first()
mover = create_home_mover(new, None, first_name="{first_name}")
put_on_register(old, mover, mover.address_postcode, "{elector}")
handover.determine(new, mover.reference, Status.ACCEPTED, timezone.localdate(), "",
                   "ems:test")
print(MovedOutNotice.objects.get(application=mover).reference)
"""


def make_notice(service, gss, first_name, elector):
    script = MAKE_NOTICE.format(gss=gss, first_name=first_name, elector=elector)
    output = ier(service_env(service), "shell", "-c", script).stdout
    return output.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def old_council(service):
    return service.query(
        "SELECT gss_code FROM geography_authority ORDER BY gss_code LIMIT 1 OFFSET 1"
    )[0][0]


def signed_in_officer(page, service, gss):
    import time

    email = "notices.%d@example.gov.uk" % int(time.time() * 1000)
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
    accept_invitation(page, service, email, link)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code from your authenticator app").fill(
        code(service.database, email, steps_ahead=1)
    )
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Dashboard")


def test_an_officer_deals_with_a_notice_and_every_page_is_accessible(
    page, service, old_council
):
    reference = make_notice(service, old_council, "Morwenna", "EL-301")
    signed_in_officer(page, service, old_council)
    page.get_by_role("link", name="moved-out notice").first.click()
    expect(page.locator("h1")).to_have_text("Moved-out notices")
    assert_accessible(page)
    page.get_by_role("link", name=reference).click()
    expect(page.locator("h1")).to_have_text("Moved-out notice %s" % reference)
    assert "EL-301" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as dealt with").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Dealt with")
    assert_accessible(page)
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page.get_by_role("link", name=reference)).to_have_count(0)
    page.get_by_role("link", name="Dealt with").click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    assert_accessible(page)


def test_a_notice_is_dealt_with_without_javascript(
    page_without_js, service, old_council
):
    page = page_without_js
    reference = make_notice(service, old_council, "Tegwen", "EL-302")
    signed_in_officer(page, service, old_council)
    page.goto(service.base_url + "/ero/notices/%s/" % reference)
    page.get_by_role("button", name="Mark as dealt with").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Dealt with")
