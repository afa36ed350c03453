"""Two minutes before the answers expire, a dialog warns the person and lets them
stay; if they do nothing, they are taken to the page that says their answers were
deleted. The browser's clock is driven by the test, so no test waits 18 minutes."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.journeys import Person, slug_of

pytestmark = pytest.mark.browser

DIALOG = "dialog[data-module='ier-timeout-warning']"


def given_someone_part_way_through_a_journey(page, service, language="en"):
    page.clock.install()
    person = Person(page, service, language)
    person.opens("/")
    person.starts()
    person.sees_a_page()
    person.answers([("check", "country", "wales")])
    person.continues()
    assert person.sees_a_page() == "nationality"
    return person


def test_the_warning_lets_a_person_keep_their_answers(page, service):
    given_someone_part_way_through_a_journey(page, service)
    assert not page.locator(DIALOG).is_visible()
    page.clock.fast_forward("18:01")
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible")
    assert "Do you need more time?" in dialog.inner_text()
    assert_accessible(page)
    with page.expect_response("**/register/keep-alive/") as kept:
        page.keyboard.press("Enter")  # focus starts on the dialog's button
    assert kept.value.status == 204
    dialog.wait_for(state="hidden")
    page.clock.fast_forward("18:01")
    dialog.wait_for(state="visible")  # the countdown started again
    assert slug_of(page.url) == "nationality"
    page.reload()
    expect(page.locator("[name='nationality']").first).to_be_visible()


def test_doing_nothing_ends_at_the_timed_out_page(page, service):
    person = given_someone_part_way_through_a_journey(page, service, "cy")
    page.clock.fast_forward("20:01")
    page.wait_for_url("**/cy/register/session-expired/")
    person.sees_a_page()
    page.goto(service.base_url + "/cy/register/nationality/")
    assert slug_of(page.url) in {"", "cy"}  # no answers left: back to the start


def test_without_javascript_there_is_no_dialog_to_see(page_without_js, service):
    person = Person(page_without_js, service, checks_accessibility=False)
    person.opens("/")
    person.starts()
    person.sees_a_page()
    assert not page_without_js.locator(DIALOG).is_visible()
