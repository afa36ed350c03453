"""A person registers in a real browser, with and without JavaScript, and every page
they see (errors included) passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


class Person:
    """Steps a person takes, written as they would say them."""

    def __init__(self, page, service, checks_accessibility=True):
        self.page = page
        self.service = service
        self.checks = checks_accessibility
        self.pages_seen = []

    def sees(self, heading: str) -> None:
        h1 = self.page.locator("h1").inner_text()
        assert heading in h1, (heading, h1, self.page.url)
        self.pages_seen.append(self.page.url)
        if self.checks:
            assert_accessible(self.page)

    def chooses(self, label: str) -> None:
        self.page.get_by_label(label, exact=True).check()

    def types(self, label: str, text: str) -> None:
        self.page.get_by_label(label, exact=True).fill(text)

    def continues(self, button: str = "Continue") -> None:
        self.page.get_by_role("button", name=button).click()


def given_a_person_on_the_start_page(page, service, **kwargs) -> Person:
    person = Person(page, service, **kwargs)
    page.goto(service.base_url + "/")
    person.sees("Register to vote")
    return person


def when_they_answer_every_question(person: Person, postcode: str, address_line: str):
    page = person.page
    page.get_by_role("button", name="Start now").click()
    person.sees("Where do you live?")
    person.continues()
    person.sees("Where do you live?")  # the error state is checked too
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    person.chooses("England")
    person.continues()
    person.sees("What is your nationality?")
    person.chooses("British")
    person.continues()
    person.sees("What is your date of birth?")
    person.types("Day", "4")
    person.types("Month", "11")
    person.continues()
    person.sees("What is your date of birth?")
    assert page.get_by_label("Day", exact=True).input_value() == "4"
    person.types("Year", "1979")
    person.continues()
    person.sees("What is your name?")
    person.types("First name", "Zoë")
    person.types("Last name", "D'Arcy")
    person.continues()
    person.sees("Have you changed your name in the last 12 months?")
    person.chooses("No")
    person.continues()
    person.sees("What is your National Insurance number?")
    person.types("National Insurance number", "jg 10 37 04 b")
    person.continues()
    person.sees("What is your address?")
    person.types("Postcode", postcode.lower().replace(" ", ""))
    person.continues("Find address")
    person.sees("Select your address")
    value = page.locator("option", has_text=address_line).first.get_attribute("value")
    page.get_by_label("Select your address").select_option(value=value)
    person.continues()
    person.sees("Have you moved to your address in the last 12 months?")
    person.chooses("No")
    person.continues()
    person.sees("Do you also live at another address?")
    person.chooses("No")
    person.continues()
    person.sees("Do you want to be on the open register?")
    person.chooses("No, do not include my name and address on the open register")
    person.continues()
    person.sees("Do you want to apply for a postal vote?")
    person.chooses("No, I will vote in person")
    person.continues()
    person.sees("How can we contact you?")
    person.types("Email address", "zoe@example.com")
    person.continues()
    person.sees("Check your answers before sending your application")


def and_they_send_the_application(person: Person) -> str:
    person.page.get_by_label(
        re.compile("information you have given is true|I confirm")
    ).check()
    person.continues("Accept and send")
    person.sees("Application complete")
    reference = person.page.locator(".govuk-panel__body strong").inner_text()
    return reference.replace(" ", "")


def then_the_application_is_saved_once_for_their_council(
    service, reference: str, postcode: str
):
    rows = service.query(
        "SELECT a.reference, g.nation FROM registration_application a "
        "JOIN geography_authority g ON g.id = a.authority_id WHERE a.reference = ?",
        reference,
    )
    assert rows == [(reference, "England")]
    assert (
        service.query(
            "SELECT count(*) FROM registration_application WHERE address_postcode = ?",
            postcode,
        )[0][0]
        >= 1
    )


def test_a_person_registers_and_every_page_is_accessible(page, service):
    postcode, _uprn, line = service.sample_address("England")
    person = given_a_person_on_the_start_page(page, service)
    when_they_answer_every_question(person, postcode, line)
    reference = and_they_send_the_application(person)
    then_the_application_is_saved_once_for_their_council(service, reference, postcode)
    page.go_back()
    assert "/register/complete/" in page.url or "Application complete" in page.content()


def test_the_journey_works_with_javascript_turned_off(page_without_js, service):
    postcode, _uprn, line = service.sample_address("England")
    person = given_a_person_on_the_start_page(
        page_without_js, service, checks_accessibility=False
    )
    when_they_answer_every_question(person, postcode, line)
    reference = and_they_send_the_application(person)
    then_the_application_is_saved_once_for_their_council(service, reference, postcode)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cookies/",
        "/accessibility/",
        "/privacy/",
        "/status/",
        "/feedback/",
        "/cy/",
        "/register/session-expired/",
        "/no-such-page/",
    ],
)
def test_service_pages_are_accessible(page, service, path):
    page.goto(service.base_url + path)
    assert_accessible(page)
