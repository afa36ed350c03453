"""Someone checks the elections at their postcode from the start page, with and
without JavaScript, in English and Welsh: each page passes axe-core and says what
to apply by and what it is too late for."""

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.fixtures import ier

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def postcode_with_elections(service, tmp_path_factory):
    """A council no other browser test walks through (the last address in
    England), given a poll too close to apply for and one far enough ahead."""
    postcode, gss = service.query(
        "SELECT a.postcode, g.gss_code FROM geography_address a "
        "JOIN geography_authority g ON g.id = a.authority_id "
        "WHERE g.nation = 'England' ORDER BY a.uprn DESC LIMIT 1"
    )[0]
    soon, later = date.today() + timedelta(days=5), date.today() + timedelta(days=70)
    data = tmp_path_factory.mktemp("elections") / "byelections.csv"
    data.write_text(
        "election_id,title,poll_date,election_type,councils,division\n"
        "local.soon.%s,Soon,%s,local,%s,Middle Ward\n"
        "local.later.%s,Later,%s,local,%s,\n"
        % (soon.isoformat(), soon.isoformat(), gss, later, later, gss)
    )
    env = {
        **os.environ,
        "IER_MODE": "demo",
        "IER_VAR_DIR": str(service.database.parent),
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.demo",
    }
    ier(env, "import-elections", str(data))
    return postcode


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_start_page_lookup_is_accessible(
    page, service, postcode_with_elections, language
):
    prefix = "/cy" if language == "cy" else ""
    page.goto(service.base_url + prefix + "/")
    assert_accessible(page)
    page.fill("#elections-postcode", postcode_with_elections)
    page.locator("form[action$='/elections/'] button").click()
    page.wait_for_load_state()
    assert page.url.endswith(prefix + "/elections/")
    text = page.locator("main").inner_text()
    if language == "en":
        assert "Apply by 11:59pm on" in text
        assert "It is too late to apply for the" in text
    else:
        assert "Gwnewch gais erbyn 11:59pm ar" in text
        assert "Mae'n rhy hwyr i wneud cais" in text
    assert_accessible(page)


def test_errors_are_accessible_and_work_without_javascript(
    page_without_js, service, postcode_with_elections
):
    page = page_without_js
    page.goto(service.base_url + "/elections/")
    page.locator("main button").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.fill("#postcode", postcode_with_elections)
    page.locator("main button").click()
    page.wait_for_load_state()
    assert "Apply by 11:59pm on" in page.locator("main").inner_text()


@pytest.mark.parametrize("prefix", ["", "/cy"])
def test_am_i_registered_is_accessible(page, service, prefix):
    page.goto(service.base_url + prefix + "/elections/am-i-registered/")
    assert_accessible(page)
    page.locator("main button").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: " if not prefix else "Gwall: ")
    assert_accessible(page)
