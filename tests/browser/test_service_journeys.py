"""Armed forces and Crown servants register in a real browser, in English and Welsh;
every page passes axe-core, and the whole forces journey can be done with the
keyboard alone."""

import pytest

from tests.browser.journeys import CHECK, Person, saved, service_script, slug_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("kind", ["forces", "crown"])
def test_a_service_voter_registers_and_every_page_is_accessible(
    page, service, kind, language
):
    postcode, uprn, _line = service.sample_address("Scotland")
    person = Person(page, service, language)
    person.opens("/%s/" % kind)
    person.starts()
    assert person.sees_a_page() == "service-statement"
    person.sends_with_nothing_filled_in()
    asked = person.walks(service_script(kind, postcode, uprn))
    assert ("service-details" if kind == "forces" else "job") in asked
    reference = person.sends_the_application()
    assert saved(service, reference) == (kind, language, "Scotland")


class KeyboardPerson(Person):
    """Answers with the keyboard alone: Tab to a control, then type, press Space
    or use the arrow keys, and Enter on the button."""

    def tabs_to(self, selector: str) -> None:
        for _ in range(80):
            self.page.keyboard.press("Tab")
            if self.page.evaluate(
                "(s) => document.activeElement && document.activeElement.matches(s)",
                selector,
            ):
                return
        raise AssertionError(
            "could not reach %s with Tab on %s" % (selector, self.page.url)
        )

    def answers(self, actions) -> None:
        for action, name, value in actions:
            if action == "check":
                self.picks(name, value)
            elif action == "select":
                self.tabs_to("[name='%s']" % name)
                self.chooses_option(name, value)
            else:
                self.tabs_to("[name='%s']" % name)
                self.page.keyboard.type(value)

    def picks(self, name: str, value: str) -> None:
        target = "[name='%s'][value='%s']" % (name, value)
        kind = self.page.locator(target).get_attribute("type")
        if kind == "checkbox":
            self.tabs_to(target)
            self.page.keyboard.press("Space")
            return
        self.tabs_to("[name='%s']" % name)  # a radio group takes one Tab stop
        for _ in range(10):
            if self.page.evaluate("(s) => document.activeElement.matches(s)", target):
                self.page.keyboard.press("Space")
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError("could not reach %s with the arrow keys" % target)

    def chooses_option(self, name: str, value: str) -> None:
        for _ in range(200):
            if self.page.locator("[name='%s']" % name).input_value() == value:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError("option %s not reached" % value)

    def continues(self) -> None:
        self.tabs_to("main form[method='post'] button")
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def test_the_forces_journey_can_be_done_with_the_keyboard_alone(page, service):
    postcode, uprn, _line = service.sample_address("England")
    person = KeyboardPerson(page, service, checks_accessibility=False)
    person.opens("/forces/")
    person.tabs_to("a.govuk-button--start")
    with person.page.expect_navigation():
        person.page.keyboard.press("Enter")
    assert slug_of(page.url) == "service-statement"
    person.walks(service_script("forces", postcode, uprn))
    assert slug_of(page.url) == CHECK
    person.tabs_to("[name='declaration']")
    person.page.keyboard.press("Space")
    person.continues()
    assert slug_of(page.url) == "complete"
