"""Overseas and service voters see the elections their application counts for on
"check your answers" and the confirmation page, in English and Welsh, and every
such page passes axe-core: overseas electors only UK Parliament elections, service
voters every election at their address."""

import os
from datetime import date, timedelta

import pytest

from tests.browser.fixtures import ier
from tests.browser.journeys import Person, overseas_script, service_script

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def welsh_address_with_elections(service, tmp_path_factory):
    """An address in a Welsh council no other browser test walks through (the last
    address in Wales), with a coming UK Parliament by-election and a council
    by-election there."""
    postcode, uprn, gss = service.query(
        "SELECT a.postcode, a.uprn, g.gss_code FROM geography_address a "
        "JOIN geography_authority g ON g.id = a.authority_id "
        "WHERE g.nation = 'Wales' ORDER BY a.uprn DESC LIMIT 1"
    )[0]
    poll = (date.today() + timedelta(days=60)).isoformat()
    data = tmp_path_factory.mktemp("elections") / "special.csv"
    data.write_text(
        "election_id,title,poll_date,election_type,councils,division\n"
        "parl.ynys-test.%s,Ynys Test by-election,%s,parl,%s,Ynys Test\n"
        "local.test.afon.%s,Afon by-election,%s,local,%s,Afon\n"
        % (poll, poll, gss, poll, poll, gss)
    )
    env = {
        **os.environ,
        "IER_MODE": "demo",
        "IER_VAR_DIR": str(service.database.parent),
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.demo",
    }
    ier(env, "import-elections", str(data))
    return postcode, uprn


def box(person) -> str:
    return person.page.locator("#elections").inner_text()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_overseas_voter_sees_only_uk_parliament_elections(
    page, service, welsh_address_with_elections, language
):
    postcode, uprn = welsh_address_with_elections
    person = Person(page, service, language)
    person.opens("/overseas/")
    person.starts()
    person.sees_a_page()
    person.walks(overseas_script(postcode, uprn))
    checked = box(person)
    assert "Ynys Test" in checked and "Afon" not in checked
    person.sends_the_application()
    sent = box(person)
    assert "Ynys Test" in sent and "Afon" not in sent
    if language == "en":
        assert "you can vote only in UK Parliament elections" in checked
        assert "Your application was sent in time for" in sent
    else:
        assert "dim ond mewn etholiadau Senedd y DU" in checked


@pytest.mark.parametrize(("kind", "language"), [("forces", "en"), ("crown", "cy")])
def test_a_service_voter_sees_every_election_at_their_address(
    page, service, welsh_address_with_elections, kind, language
):
    postcode, uprn = welsh_address_with_elections
    person = Person(page, service, language)
    person.opens("/%s/" % kind)
    person.starts()
    person.sees_a_page()
    person.walks(service_script(kind, postcode, uprn))
    assert "Ynys Test" in box(person) and "Afon" in box(person)
    person.sends_the_application()
    assert "Ynys Test" in box(person) and "Afon" in box(person)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_elections_page_shows_a_ward_poll_only_in_its_ward(
    page, service, tmp_path_factory, language
):
    """The postcode's own ward's by-election is shown without a caveat, another
    ward's not at all; axe-clean, and no English on the Welsh page."""
    postcode, gss, ward = service.query(
        "SELECT a.postcode, g.gss_code, d.ward_gss FROM geography_address a "
        "JOIN geography_authority g ON g.id = a.authority_id "
        "JOIN geography_postcodedivision d ON d.postcode = a.postcode "
        "WHERE g.nation = 'Scotland' ORDER BY a.uprn DESC LIMIT 1"
    )[0]
    poll = (date.today() + timedelta(days=50)).isoformat()
    data = tmp_path_factory.mktemp("wards") / ("wards-%s.csv" % language)
    data.write_text(
        "election_id,title,poll_date,election_type,councils,division,division_gss\n"
        "local.test.ours-%s.%s,Ours,%s,local,%s,Glen Ward,%s\n"
        "local.test.theirs-%s.%s,Theirs,%s,local,%s,Firth Ward,S13999999\n"
        % (language, poll, poll, gss, ward, language, poll, poll, gss)
    )
    env = {
        **os.environ,
        "IER_MODE": "demo",
        "IER_VAR_DIR": str(service.database.parent),
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.demo",
    }
    ier(env, "import-elections", str(data))
    person = Person(page, service, language)
    person.opens("/elections/")
    person.page.fill("#postcode", postcode)
    person.page.locator("main button").click()
    person.page.wait_for_load_state()
    person.sees_a_page()
    text = box(person)
    assert "Glen Ward" in text and "Firth Ward" not in text
    assert "Only if you live in" not in text and "Dim ond os" not in text
