"""Someone registers in Welsh from the Welsh start page to the confirmation, and
every Welsh information page (and its English twin) passes axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.journeys import Person, ordinary_script, saved
from tests.welsh import english_in_browser

pytestmark = pytest.mark.browser


def test_a_person_registers_in_welsh_and_every_page_is_accessible(page, service):
    postcode, uprn, _line = service.sample_address("Wales")
    person = Person(page, service, "cy")
    person.opens("/")
    person.starts()
    assert person.sees_a_page() == "where-you-live"
    person.sends_with_nothing_filled_in()
    person.walks(ordinary_script(postcode, uprn))
    reference = person.sends_the_application()
    assert saved(service, reference) == ("ordinary", "cy", "Wales")
    assert "Cofrestru i bleidleisio" in page.title()


def test_switching_language_keeps_the_place_and_the_answers(page, service):
    person = Person(page, service, "en")
    person.opens("/")
    person.starts()
    person.sees_a_page()
    person.answers([("check", "country", "scotland")])
    person.continues()
    person.sees_a_page()
    page.locator("a[hreflang='cy']").click()
    assert page.url.endswith("/cy/register/nationality/")
    page.go_back()
    page.locator("a.govuk-back-link").click()
    assert page.locator("[name='country'][value='scotland']").is_checked()


@pytest.mark.parametrize("prefix", ["", "/cy"])
@pytest.mark.parametrize(
    "path",
    [
        "/overseas/",
        "/forces/",
        "/crown/",
        "/other-ways-to-register/",
        "/register/exit/overseas/",
        "/register/exit/overseas-not-eligible/",
        "/register/exit/northern-ireland/",
        "/register/exit/not-eligible/",
        "/register/exit/too-young/",
        "/feedback/thank-you/",
    ],
)
def test_information_pages_are_accessible_in_both_languages(
    page, service, prefix, path
):
    page.goto(service.base_url + prefix + path)
    assert page.locator("html").get_attribute("lang") == ("cy" if prefix else "en")
    if prefix:
        assert english_in_browser(page) == []
    assert_accessible(page)


@pytest.mark.parametrize("prefix", ["", "/cy"])
def test_the_council_finder_and_its_errors_are_accessible(page, service, prefix):
    postcode, _uprn, _line = service.sample_address("Wales")
    page.goto(service.base_url + prefix + "/other-ways-to-register/")
    page.locator("[name='postcode']").fill("not a postcode")
    page.locator("main form button").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("[name='postcode']").fill(postcode)
    page.locator("main form button").click()
    assert page.locator("main p.govuk-body a[href^='mailto:']").count() >= 1
    assert_accessible(page)


@pytest.mark.parametrize("prefix", ["", "/cy"])
def test_status_and_feedback_errors_are_accessible(page, service, prefix):
    page.goto(service.base_url + prefix + "/status/")
    page.locator("main form button").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.goto(service.base_url + prefix + "/feedback/")
    page.locator("main form button").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
