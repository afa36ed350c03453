"""A British citizen living abroad registers in a real browser, in English and in
Welsh, with and without JavaScript; every page (errors included) passes axe-core."""

import pytest

from tests.browser.journeys import Person, overseas_script, saved

pytestmark = pytest.mark.browser


def given_someone_abroad_on_the_overseas_start_page(page, service, language):
    person = Person(page, service, language)
    person.opens("/overseas/")
    return person


def when_they_start_and_answer_every_question(person, script):
    person.starts()
    assert person.sees_a_page() == "british-citizen"
    person.sends_with_nothing_filled_in()
    return person.walks(script)


def then_one_overseas_application_is_saved_for_their_last_council(
    service, reference, language
):
    assert saved(service, reference) == ("overseas", language, "Wales")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_overseas_voter_registers_and_every_page_is_accessible(
    page, service, language
):
    postcode, uprn, _line = service.sample_address("Wales")
    person = given_someone_abroad_on_the_overseas_start_page(page, service, language)
    asked = when_they_start_and_answer_every_question(
        person, overseas_script(postcode, uprn)
    )
    assert {"passport-details", "attestor", "address-abroad"} <= set(asked)
    reference = person.sends_the_application()
    then_one_overseas_application_is_saved_for_their_last_council(
        service, reference, language
    )


def test_the_overseas_journey_works_with_javascript_turned_off(
    page_without_js, service
):
    postcode, uprn, _line = service.sample_address("Wales")
    person = Person(page_without_js, service, checks_accessibility=False)
    person.opens("/overseas/")
    person.starts()
    person.sees_a_page()
    person.walks(overseas_script(postcode, uprn))
    reference = person.sends_the_application()
    assert saved(service, reference)[0] == "overseas"


def test_someone_abroad_is_led_from_the_ordinary_journey_into_the_overseas_one(
    page, service
):
    person = Person(page, service)
    person.opens("/")
    person.page.locator("a.govuk-button--start").click()
    person.sees_a_page()
    person.answers([("check", "country", "abroad")])
    person.continues()
    assert person.sees_a_page() == "overseas"
    person.page.locator("main a.govuk-button").click()
    assert person.sees_a_page() == "british-citizen"
