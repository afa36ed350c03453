"""At 320 CSS pixels wide (a 1280-pixel screen zoomed to 400%) no citizen page
scrolls sideways (WCAG 2.2, 1.4.10 Reflow). The person lives where the council's
email address is the longest the service holds, which is what overflowed."""

import pytest

from tests.browser.fixtures import watched_page
from tests.browser.journeys import (
    Person,
    ordinary_script,
    overseas_script,
    service_script,
)

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


class NarrowPerson(Person):
    """A person whose screen is 320 CSS pixels wide; every page they see is checked
    for sideways scrolling as well as by axe-core."""

    def sees_a_page(self) -> str:
        slug = super().sees_a_page()
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW["width"], (self.page.url, width)
        return slug


@pytest.fixture
def narrow_page(browser):
    """Under the pages' own Content Security Policy, as every browser test."""
    yield from watched_page(browser, viewport=NARROW)


def the_longest_council_email(service) -> tuple[str, int, str]:
    """(postcode, UPRN, nation) of an address whose council (in England or Wales,
    where the ordinary journey's answers apply) has the longest email address."""
    return service.query(
        "SELECT a.postcode, a.uprn, g.nation FROM geography_address a "
        "JOIN geography_authority g ON g.id = a.authority_id "
        "WHERE g.nation IN ('England', 'Wales') AND g.registration_office_id IS NULL "
        "ORDER BY length(g.email) DESC, a.uprn LIMIT 1"
    )[0]


def given_a_person_with_a_narrow_screen(page, service, language) -> NarrowPerson:
    person = NarrowPerson(page, service, language)
    person.opens("/")
    return person


def when_they_register(person: NarrowPerson, postcode: str, uprn: int, nation: str):
    script = ordinary_script(postcode, uprn)
    script["where-you-live"] = [("check", "country", nation.lower())]
    person.starts()
    person.sees_a_page()
    person.sends_with_nothing_filled_in()
    person.walks(script)
    return person.sends_the_application()


def and_they_check_their_application(person: NarrowPerson, reference: str):
    person.opens("/status/")
    person.sends_with_nothing_filled_in()
    person.answers(
        [
            ("fill", "reference", reference),
            ("fill", "date_of_birth-day", "1"),
            ("fill", "date_of_birth-month", "3"),
            ("fill", "date_of_birth-year", "1960"),
        ]
    )
    person.continues()
    person.sees_a_page()
    assert person.page.locator("a[href^='mailto:']").count() >= 1


def and_they_look_up_their_council(person: NarrowPerson, postcode: str):
    person.opens("/contact-your-council/")
    person.sends_with_nothing_filled_in()
    person.answers([("fill", "postcode", postcode)])
    person.continues()
    person.sees_a_page()
    assert person.page.locator("a[href^='mailto:']").count() >= 1


@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_citizen_page_scrolls_sideways_at_320_pixels(narrow_page, service, language):
    postcode, uprn, nation = the_longest_council_email(service)
    person = given_a_person_with_a_narrow_screen(narrow_page, service, language)
    reference = when_they_register(person, postcode, uprn, nation)
    assert person.page.locator("a[href^='mailto:']").count() >= 1
    and_they_check_their_application(person, reference)
    and_they_look_up_their_council(person, postcode)
    for path in ("/cookies/", "/accessibility/", "/privacy/", "/feedback/"):
        person.opens(path)


@pytest.mark.parametrize("kind", ["overseas", "forces"])
def test_the_other_journeys_do_not_scroll_sideways_at_320_pixels(
    narrow_page, service, kind
):
    """In Welsh, whose sentences run longest."""
    postcode, uprn, _nation = the_longest_council_email(service)
    person = NarrowPerson(narrow_page, service, "cy")
    if kind == "overseas":
        person.opens("/overseas/")
        person.starts()
        script = overseas_script(postcode, uprn)
    else:
        person.opens("/register/start/forces/")
        script = service_script(kind, postcode, uprn)
    person.sees_a_page()
    person.sends_with_nothing_filled_in()
    person.walks(script)
    person.sends_the_application()
