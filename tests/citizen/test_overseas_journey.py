"""The overseas journey: every branch and exit, walked with the checked client."""

import pytest
from django.utils import timezone

from ier.registration.models import Application
from tests.citizen.helpers import CHECK_ANSWERS, an_address, submit, walk

pytestmark = pytest.mark.django_db


def overseas_answers(home=None, **overrides):
    """Valid answers for every page of the overseas journey, keyed by step."""
    address = home or an_address()
    answers = {
        "british-citizen": {"citizen": "british"},
        "date-of-birth": {
            "date_of_birth-day": "2",
            "date_of_birth-month": "9",
            "date_of_birth-year": "1970",
        },
        "last-registered": {"registered": "ordinary"},
        "date-left": {"year_left": "2001"},
        "address": {"postcode": address.postcode},
        "address-select": {"uprn": str(address.uprn)},
        "parent-or-guardian": {
            "parent_first_name": "Gwen",
            "parent_last_name": "Lloyd",
            "parent_registered": "yes",
        },
        "passport": {"has_passport": "yes"},
        "passport-details": {
            "passport_number": "502 135 326",
            "issue_date-day": "1",
            "issue_date-month": "5",
            "issue_date-year": "2019",
        },
        "citizenship": {"how_citizen": "descent", "birthplace": "Toronto"},
        "name": {"first_name": "Rhiannon", "last_name": "Lloyd"},
        "previous-name": {"changed": "no"},
        "previous-name-details": {
            "previous_first_name": "Rhiannon",
            "previous_last_name": "Davies",
        },
        "national-insurance-number": {"has_nino": "yes", "nino": "AB123456C"},
        "address-abroad": {"country": "ES", "address": "Calle Mayor 1\n28013 Madrid"},
        "attestation": {"attest": "yes"},
        "attestor": {
            "attestor_name": "Ifan Morgan",
            "attestor_postcode": "cf10 1aa",
            "attestor_email": "ifan@example.com",
        },
        "ways-to-vote": {"way": "proxy"},
        "open-register": {"open_register": "no"},
        "contact": {"email": "rhiannon@example.com", "phone": ""},
    }
    answers.update(overrides)
    return answers


def ends_at(response) -> str:
    return response.request["PATH_INFO"]


def asked_in(client, answers, kind="overseas") -> list[str]:
    """The steps a person with these answers is asked, in order."""
    asked = []
    response = client.get("/register/start/%s/" % kind)
    for _ in range(40):
        location = response["Location"]
        if location.endswith(CHECK_ANSWERS) or "/exit/" in location:
            return asked
        slug = location.rstrip("/").split("/")[-1]
        asked.append(slug)
        response = client.post(location, answers[slug])
        assert response.status_code == 302, slug
    raise AssertionError("no end")


def test_an_overseas_voter_registers_at_their_last_uk_address(client):
    home = an_address("Wales")
    response = submit(client, overseas_answers(home), kind="overseas")
    assert response["Location"] == "/register/complete/"
    application = Application.objects.get()
    assert application.journey == "overseas"
    assert application.authority == home.authority
    assert application.address_uprn == home.uprn
    assert application.nationalities == ["GB"]
    assert application.details["left_uk_year"] == 2001
    assert application.details["address_abroad"] == {
        "lines": ["Calle Mayor 1", "28013 Madrid"],
        "country": "ES",
    }
    assert application.details["passport"] == {
        "number": "502135326",
        "issued": "2019-05-01",
    }
    assert application.details["ways_to_vote"] == "proxy"
    assert application.email == "rhiannon@example.com"
    page = client.get("/register/complete/").content.decode()
    assert home.authority.name in page
    assert "https://www.gov.uk/apply-proxy-vote" in page
    assert "If you are under 16" not in page


def test_no_time_limit_applies_to_how_long_ago_someone_left(client):
    """The 15-year rule ended on 16 January 2024: leaving in 1975 is fine."""
    answers = overseas_answers(**{"date-left": {"year_left": "1975"}})
    assert ends_at(walk(client, answers, kind="overseas")) == CHECK_ANSWERS


def test_someone_never_registered_who_left_as_a_child_names_a_parent(client):
    answers = overseas_answers(
        **{
            "last-registered": {"registered": "never"},
            "date-left": {"year_left": "1980"},
        }
    )
    asked = asked_in(client, answers)
    assert "parent-or-guardian" in asked
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    details = Application.objects.get().details
    assert details["last_registered"] == "never"
    assert details["parent_or_guardian"]["last_name"] == "Lloyd"


def test_someone_never_registered_who_left_as_an_adult_gives_their_own_address(
    client,
):
    answers = overseas_answers(**{"last-registered": {"registered": "never"}})
    asked = asked_in(client, answers)
    assert "parent-or-guardian" not in asked
    page = client.get("/register/address/")
    assert "What was the last UK address where you lived?" in page.content.decode()


def test_someone_registered_before_is_asked_for_that_address(client):
    walk(client, overseas_answers(), kind="overseas", stop_at="address")
    page = client.get("/register/address/")
    assert "where you were last registered to vote" in page.content.decode()


def test_someone_without_a_passport_says_how_they_became_british(client):
    answers = overseas_answers(passport={"has_passport": "no"})
    asked = asked_in(client, answers)
    assert "citizenship" in asked and "passport-details" not in asked
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    details = Application.objects.get().details
    assert "passport" not in details
    assert details["citizenship"] == {"how": "descent", "birthplace": "Toronto"}


def test_an_attestor_is_recorded_when_given(client):
    submit(client, overseas_answers(), kind="overseas")
    assert Application.objects.get().details["attestor"] == {
        "name": "Ifan Morgan",
        "postcode": "CF10 1AA",
        "email": "ifan@example.com",
    }


def test_people_who_are_not_british_cannot_register_as_overseas_voters(client):
    answers = overseas_answers(**{"british-citizen": {"citizen": "no"}})
    page = walk(client, answers, kind="overseas")
    assert ends_at(page) == "/register/exit/overseas-not-eligible/"
    assert 'href="/register/british-citizen/"' in page.content.decode()


def test_irish_citizens_born_in_northern_ireland_can_register(client):
    answers = overseas_answers(**{"british-citizen": {"citizen": "irish-ni"}})
    submit(client, answers, kind="overseas")
    assert Application.objects.get().nationalities == ["IE"]


def test_an_overseas_child_is_told_when_they_can_register(client):
    born = timezone.localdate().year - 12
    answers = overseas_answers(
        **{
            "date-of-birth": {
                "date_of_birth-day": "1",
                "date_of_birth-month": "1",
                "date_of_birth-year": str(born),
            }
        }
    )
    page = walk(client, answers, kind="overseas")
    assert ends_at(page) == "/register/exit/too-young/"
    assert "You can register from" in page.content.decode()


def test_a_last_address_in_northern_ireland_is_sent_to_eoni(client):
    page = walk(
        client, overseas_answers(address={"postcode": "BT1 5GS"}), kind="overseas"
    )
    assert ends_at(page) == "/register/exit/northern-ireland/"


def test_an_email_address_is_essential(client):
    walk(client, overseas_answers(), kind="overseas", stop_at="contact")
    page = client.post("/register/contact/", {"email": "", "phone": ""})
    assert "Enter your email address" in page.content.decode()


@pytest.mark.parametrize(
    ("slug", "data", "message"),
    [
        ("british-citizen", {}, "Select whether you are a British citizen"),
        ("date-left", {"year_left": ""}, "Enter the year you left the UK"),
        ("date-left", {"year_left": "85"}, "must include 4 numbers"),
        ("date-left", {"year_left": "2999"}, "must be this year or in the past"),
        ("date-left", {"year_left": "1960"}, "after the year you were born"),
        ("passport", {}, "Select whether you have a British passport"),
        (
            "passport-details",
            {"passport_number": "12345"},
            "Passport number must be 9 numbers",
        ),
        ("passport-details", {}, "Enter your passport number"),
        (
            "passport-details",
            {
                "passport_number": "502135326",
                "issue_date-day": "1",
                "issue_date-month": "1",
                "issue_date-year": "2999",
            },
            "Date of issue must be in the past",
        ),
        ("address-abroad", {"address": "1 Rue"}, "Select the country you live in"),
        ("address-abroad", {"country": "FR"}, "Enter your address abroad"),
        ("attestor", {}, "Enter their full name"),
        (
            "attestor",
            {
                "attestor_name": "A B",
                "attestor_postcode": "nonsense",
                "attestor_email": "a@example.com",
            },
            "Enter a real postcode",
        ),
        (
            "attestor",
            {
                "attestor_name": "Ifan M\u0301\u0301\u0301\u0301organ",
                "attestor_postcode": "cf10 1aa",
                "attestor_email": "a@example.com",
            },
            "must not have more than 3 accents on one letter",
        ),
        (
            "parent-or-guardian",
            {
                "parent_first_name": "Gwen\u200d",
                "parent_last_name": "Lloyd",
                "parent_registered": "yes",
            },
            "Names must only include letters",
        ),
        ("ways-to-vote", {}, "Select how you want to vote"),
    ],
)
def test_overseas_answers_are_checked(client, slug, data, message):
    walk(client, overseas_answers(), kind="overseas", stop_at=slug)
    page = client.post("/register/%s/" % slug, data)
    assert page.status_code == 200
    assert message in page.content.decode()


def test_the_ordinary_journey_sends_people_abroad_into_the_overseas_journey(client):
    walk(client, {"where-you-live": {"country": "abroad"}}, stop_at="nationality")
    page = client.get("/register/exit/overseas/")
    assert 'href="/register/start/overseas/"' in page.content.decode()
    response = client.get("/register/start/overseas/")
    assert response["Location"] == "/register/british-citizen/"


def test_the_overseas_start_page_starts_the_overseas_journey(client):
    page = client.get("/overseas/")
    assert 'href="/register/start/overseas/"' in page.content.decode()
    response = client.get("/register/start/overseas/")
    first = client.get(response["Location"])
    assert 'href="/overseas/"' in first.content.decode()  # the back link


def test_no_one_to_confirm_who_you_are_skips_the_question_about_them(client):
    asked = asked_in(client, overseas_answers(attestation={"attest": "no"}))
    assert "attestation" in asked and "attestor" not in asked
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    assert "attestor" not in Application.objects.get().details


def test_check_answers_asks_about_a_name_change_since_leaving_the_uk(client):
    """The summary repeats the question the overseas journey asked, not the ordinary
    journey's 12 months."""
    page = walk(client, overseas_answers(), kind="overseas").content.decode()
    assert "Changed name since leaving the UK" in page
    assert "in the last 12 months" not in page
