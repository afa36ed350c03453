"""The forces and Crown journeys: every branch and exit, with the checked client."""

from datetime import date
from html import unescape

import pytest

from ier.registration.models import Application
from tests.citizen.helpers import (
    CHECK_ANSWERS,
    an_address,
    ordinary_answers,
    submit,
    walk,
)
from tests.citizen.test_overseas_journey import asked_in, ends_at

pytestmark = pytest.mark.django_db


def service_answers(kind="forces", home=None, **overrides):
    """Valid answers for every page of a service journey, keyed by step."""
    address = home or an_address()
    answers = ordinary_answers(address)
    for slug in ("where-you-live", "moved", "other-address", "postal-vote"):
        answers.pop(slug)
    answers.update(
        {
            "service-statement": {"statement": ["member"]}
            if kind == "forces"
            else {"statement": "crown"},
            "uk-address": {"uk_address": "yes"},
            "service-details": {
                "service": "army",
                "rank": "Corporal",
                "service_number": "30012345",
                "unit": "1st Battalion, Royal Welsh",
            },
            "job": {
                "job_title": "Second Secretary",
                "department": "Foreign, Commonwealth and Development Office",
                "staff_number": "FC 12345",
            },
            "correspondence-address": {"write_to": "uk"},
            "correspondence-details": {"address": "Cpl A Jones\n30012345\nBFPO 12"},
            "ways-to-vote": {"way": "post"},
        }
    )
    answers.update(overrides)
    return answers


def test_a_soldier_registers_as_a_service_voter(client):
    home = an_address("Scotland")
    submit(client, service_answers(home=home), kind="forces")
    application = Application.objects.get()
    assert application.journey == "forces"
    assert application.authority == home.authority
    assert application.postal_vote == "yes"
    assert application.details["service"] == {
        "category": "forces",
        "member": True,
        "partner": False,
    }
    assert application.details["service_details"]["service_number"] == "30012345"
    assert application.details["correspondence"] == {"to": "uk", "lines": []}


def test_a_partner_of_a_member_is_asked_for_the_partners_details(client):
    answers = service_answers(**{"service-statement": {"statement": ["partner"]}})
    walk(client, answers, kind="forces", stop_at="service-details")
    page = client.get("/register/service-details/")
    assert "Your partner's service details" in unescape(page.content.decode())


def test_without_a_uk_address_the_last_one_is_asked_and_bfpo_offered(client):
    answers = service_answers(
        **{
            "uk-address": {"uk_address": "no"},
            "correspondence-address": {"write_to": "bfpo"},
        }
    )
    walk(client, answers, kind="forces", stop_at="address")
    page = client.get("/register/address/").content.decode()
    assert "What was your last UK address?" in page
    walk(client, answers, kind="forces", stop_at="correspondence-address")
    page = client.get("/register/correspondence-address/").content.decode()
    assert 'value="uk"' not in page  # no UK address to write to
    assert 'value="bfpo"' in page
    Application.objects.all().delete()
    submit(client, answers, kind="forces")
    assert Application.objects.get().details["correspondence"]["lines"][-1] == "BFPO 12"


def test_a_crown_servant_registers_with_their_job(client):
    submit(client, service_answers("crown"), kind="crown")
    application = Application.objects.get()
    assert application.journey == "crown"
    assert application.details["service"]["category"] == "crown"
    assert application.details["service_details"]["job_title"] == "Second Secretary"


def test_a_british_council_partner_is_asked_about_their_partners_job(client):
    answers = service_answers(
        "crown", **{"service-statement": {"statement": "council-partner"}}
    )
    walk(client, answers, kind="crown", stop_at="job")
    assert "Your partner's job" in unescape(
        client.get("/register/job/").content.decode()
    )
    asked = asked_in(client, answers, kind="crown")
    assert "service-details" not in asked
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    assert Application.objects.get().details["service"] == {
        "category": "british-council",
        "member": False,
        "partner": True,
    }


def test_crown_servants_are_not_offered_bfpo(client):
    walk(
        client, service_answers("crown"), kind="crown", stop_at="correspondence-address"
    )
    page = client.get("/register/correspondence-address/").content.decode()
    assert 'value="bfpo"' not in page


@pytest.mark.parametrize("kind", ["forces", "crown"])
def test_service_voters_follow_the_nationality_rules_of_their_uk_address(client, kind):
    answers = service_answers(
        kind,
        an_address("England"),
        nationality={"nationality": ["other"], "other_1": "US"},
    )
    assert ends_at(walk(client, answers, kind=kind)) == "/register/exit/not-eligible/"


def test_a_commonwealth_soldier_is_asked_about_permission_to_stay(client):
    answers = service_answers(
        nationality={"nationality": ["other"], "other_1": "FJ"},
        **{"immigration-status": {"permission": "yes"}},
    )
    asked = asked_in(client, answers, kind="forces")
    assert "immigration-status" in asked


def test_a_15_year_old_in_wales_skips_the_open_register_and_nino(client):
    answers = service_answers(
        home=an_address("Wales"),
        **{
            "date-of-birth": {
                "date_of_birth-day": "1",
                "date_of_birth-month": "1",
                "date_of_birth-year": str(date.today().year - 15),
            }
        },
    )
    asked = asked_in(client, answers, kind="forces")
    assert "open-register" not in asked
    assert "national-insurance-number" not in asked
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    application = Application.objects.get()
    assert application.open_register is None
    assert application.nino_encrypted == ""
    page = unescape(client.get("/register/complete/").content.decode())
    assert "If you are under 16" in page
    assert "Senedd and council elections from your 16th birthday" in page


@pytest.mark.parametrize(
    ("kind", "slug", "data", "message"),
    [
        ("forces", "service-statement", {}, "Select which of these describes you"),
        ("crown", "service-statement", {}, "Select which of these describes you"),
        ("forces", "uk-address", {}, "Select whether you have a UK address"),
        ("forces", "service-details", {"service": "navy"}, "Enter the service number"),
        ("forces", "service-details", {}, "Select the service"),
        ("crown", "job", {}, "Enter the payroll number or staff ID"),
        ("forces", "correspondence-address", {}, "Select where we should write"),
        ("forces", "correspondence-details", {}, "Enter the address"),
    ],
)
def test_service_answers_are_checked(client, kind, slug, data, message):
    elsewhere = {"correspondence-address": {"write_to": "other"}}
    walk(client, service_answers(kind, **elsewhere), kind=kind, stop_at=slug)
    page = client.post("/register/%s/" % slug, data)
    assert page.status_code == 200
    assert message in page.content.decode()


@pytest.mark.parametrize("kind", ["forces", "crown"])
def test_each_service_journey_has_its_own_start_page(client, kind):
    page = client.get("/%s/" % kind)
    assert 'href="/register/start/%s/"' % kind in page.content.decode()
    first = client.get(client.get("/register/start/%s/" % kind)["Location"])
    assert 'href="/%s/"' % kind in first.content.decode()


def test_an_unknown_journey_has_no_start_page(client):
    assert client.get("/register/start/martian/").status_code == 404
