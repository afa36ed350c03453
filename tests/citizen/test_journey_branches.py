"""Every branch of the ordinary journey, walked with the checked client."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ier.registration.models import Application
from tests.citizen.helpers import (
    CHECK_ANSWERS,
    an_address,
    ordinary_answers,
    submit,
    walk,
)

pytestmark = pytest.mark.django_db


def dob(years_ago: int, days: int = 0) -> dict:
    born = timezone.localdate().replace(month=6, day=15)
    born = born.replace(year=born.year - years_ago) - timedelta(days=days)
    return {
        "date_of_birth-day": str(born.day),
        "date_of_birth-month": str(born.month),
        "date_of_birth-year": str(born.year),
    }


def ends_at(response) -> str:
    return response.request["PATH_INFO"]


def test_northern_ireland_residents_are_sent_to_the_electoral_office(client):
    answers = ordinary_answers(**{"where-you-live": {"country": "northern-ireland"}})
    page = walk(client, answers)
    assert ends_at(page) == "/register/exit/northern-ireland/"
    assert "Electoral Office for Northern Ireland" in page.content.decode()


def test_a_belfast_postcode_ends_at_the_northern_ireland_page(client):
    answers = ordinary_answers(address={"postcode": "BT1 5GS"})
    page = walk(client, answers)
    assert ends_at(page) == "/register/exit/northern-ireland/"


def test_people_abroad_are_told_about_overseas_registration(client):
    page = walk(client, ordinary_answers(**{"where-you-live": {"country": "abroad"}}))
    assert ends_at(page) == "/register/exit/overseas/"


@pytest.mark.parametrize(
    ("nation", "country", "question", "answer", "end"),
    [
        ("England", "US", None, None, "/register/exit/not-eligible/"),
        ("Scotland", "US", "immigration-status", "yes", CHECK_ANSWERS),
        ("Wales", "US", "immigration-status", "no", "/register/exit/not-eligible/"),
        ("England", "IN", "immigration-status", "not-needed", CHECK_ANSWERS),
        ("England", "IN", "immigration-status", "no", "/register/exit/not-eligible/"),
        ("England", "PL", "immigration-status", "yes", CHECK_ANSWERS),
        ("England", "FR", "eu-rights", "yes", CHECK_ANSWERS),
        ("England", "FR", "eu-rights", "no", "/register/exit/not-eligible/"),
        ("Wales", "FR", None, None, CHECK_ANSWERS),
    ],
)
def test_nationality_rules_follow_the_law_of_the_nation(
    client, nation, country, question, answer, end
):
    """Which follow-up question is asked, and the outcome, depend on where you live."""
    answers = ordinary_answers(
        an_address(nation),
        nationality={"nationality": ["other"], "other_1": country},
        **{
            "immigration-status": {"permission": answer},
            "eu-rights": {"retained": answer},
        },
    )
    asked = []
    page = walk_recording(client, answers, asked)
    assert ends_at(page) == end
    follow_ups = {"immigration-status", "eu-rights"} & set(asked)
    assert follow_ups == ({question} if question else set())


def walk_recording(client, answers, asked):
    response = client.get("/register/start/")
    for _ in range(40):
        location = response["Location"]
        if location.endswith(CHECK_ANSWERS) or "/exit/" in location:
            return client.get(location)
        slug = location.rstrip("/").split("/")[-1]
        asked.append(slug)
        response = client.post(location, answers[slug])
        assert response.status_code == 302, slug
    raise AssertionError("no end")


def test_the_most_favourable_nationality_decides(client):
    """A French and Indian citizen in England is a Commonwealth citizen."""
    answers = ordinary_answers(
        nationality={"nationality": ["other"], "other_1": "FR", "other_2": "IN"},
        **{"immigration-status": {"permission": "yes"}},
    )
    asked = []
    page = walk_recording(client, answers, asked)
    assert ends_at(page) == CHECK_ANSWERS
    assert "eu-rights" not in asked


def test_a_child_is_told_when_they_can_register(client):
    page = walk(client, ordinary_answers(**{"date-of-birth": dob(10)}))
    assert ends_at(page) == "/register/exit/too-young/"
    assert "You can register from" in page.content.decode()


def test_a_15_year_old_in_scotland_can_register_without_nino_or_open_register(client):
    address = an_address("Scotland")
    answers = ordinary_answers(address, **{"date-of-birth": dob(15, days=-30)})
    asked = []
    page = walk_recording(client, answers, asked)
    assert ends_at(page) == CHECK_ANSWERS
    assert "national-insurance-number" not in asked
    assert "open-register" not in asked
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    application = Application.objects.get()
    assert application.open_register is None
    assert application.nino_encrypted == ""


def test_a_15_year_old_in_england_is_too_young(client):
    page = walk(client, ordinary_answers(**{"date-of-birth": dob(15, days=-30)}))
    assert ends_at(page) == "/register/exit/too-young/"


def test_a_scottish_answer_then_an_english_address_applies_english_age_rules(client):
    """Nation is decided by the address once chosen, not by the first answer."""
    answers = ordinary_answers(
        an_address("England"),
        **{
            "where-you-live": {"country": "scotland"},
            "date-of-birth": dob(15, days=-30),
        },
    )
    page = walk(client, answers)
    assert ends_at(page) == "/register/exit/too-young/"


def test_date_of_birth_errors_name_the_missing_part_and_keep_the_input(client):
    walk(client, ordinary_answers(), stop_at="date-of-birth")
    page = client.post(
        "/register/date-of-birth/",
        {"date_of_birth-day": "31", "date_of_birth-year": "1990"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Date of birth must include a month" in html
    assert 'href="#date_of_birth-month"' in html
    assert 'value="31"' in html and 'value="1990"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "date_of_birth-day": "30",
                "date_of_birth-month": "2",
                "date_of_birth-year": "1990",
            },
            "Date of birth must be a real date",
        ),
        (
            {
                "date_of_birth-day": "1",
                "date_of_birth-month": "1",
                "date_of_birth-year": "2999",
            },
            "Date of birth must be in the past",
        ),
        (
            {
                "date_of_birth-day": "1",
                "date_of_birth-month": "1",
                "date_of_birth-year": "1890",
            },
            "Date of birth must be after",
        ),
        (
            {
                "date_of_birth-day": "1",
                "date_of_birth-month": "1",
                "date_of_birth-year": "90",
            },
            "Year must include 4 numbers",
        ),
        ({}, "Enter your date of birth"),
        ({"cannot_give": "yes"}, "Tell us why you cannot give your date of birth"),
        (
            {"cannot_give": "yes", "reason": "No records", "age_range": "under-18"},
            "If you are under 18 you must give your date of birth",
        ),
    ],
)
def test_date_of_birth_rejects_impossible_answers(client, data, message):
    walk(client, ordinary_answers(), stop_at="date-of-birth")
    page = client.post("/register/date-of-birth/", data)
    assert page.status_code == 200
    assert message in page.content.decode()


def test_someone_without_a_date_of_birth_gives_a_reason_and_an_age_range(client):
    answers = ordinary_answers(
        **{
            "date-of-birth": {
                "cannot_give": "yes",
                "reason": "I was never told it",
                "age_range": "76-or-over",
            }
        }
    )
    response = submit(client, answers)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.date_of_birth is None
    assert application.age_range == "76-or-over"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"first_name": "", "last_name": "Smith"},
            "first_name",
            "Enter your first name",
        ),
        (
            {"first_name": "Ann", "last_name": ""},
            "last_name",
            "or select that you only have one name",
        ),
        (
            {"first_name": "R2D2", "last_name": "Smith"},
            "first_name",
            "must only include letters",
        ),
        (
            {"first_name": "Ann", "last_name": "<script>"},
            "last_name",
            "must only include letters",
        ),
        (
            {"first_name": "A" * 61, "last_name": "Smith"},
            "first_name",
            "60 characters or fewer",
        ),
        (
            {"first_name": "Ann", "last_name": "Sm\u0301\u0301\u0301\u0301ith"},
            "last_name",
            "Last name must not have more than 3 accents on one letter",
        ),
        (
            {"first_name": "\u200cAli", "last_name": "Smith"},
            "first_name",
            "must only include letters",
        ),
    ],
)
def test_names_are_checked_with_clear_messages(client, data, field, message):
    walk(client, ordinary_answers(), stop_at="name")
    page = client.post("/register/name/", data)
    html = page.content.decode()
    assert message in html
    assert 'href="#%s"' % field in html
    assert "&lt;script&gt;" in html or "<script>" not in data.get("last_name", "")


def test_a_persian_name_with_a_zero_width_non_joiner_is_kept_as_typed(client):
    answers = ordinary_answers(
        name={"first_name": "علی\u200cرضا", "last_name": "مهر\u200cانگیز"}
    )
    assert submit(client, answers).status_code == 302
    application = Application.objects.get()
    assert application.first_name == "علی\u200cرضا"
    assert application.last_name == "مهر\u200cانگیز"


def test_a_person_with_one_name_can_register(client):
    answers = ordinary_answers(name={"first_name": "Sukarno", "one_name": "yes"})
    submit(client, answers)
    assert Application.objects.get().last_name == ""


def test_a_changed_name_needs_the_previous_name(client):
    answers = ordinary_answers(
        **{
            "previous-name": {"changed": "yes"},
            "previous-name-details": {
                "previous_first_name": "Siân",
                "previous_last_name": "Evans",
            },
        }
    )
    walk(client, answers, stop_at="previous-name-details")
    page = client.post("/register/previous-name-details/", {})
    assert "Enter your previous first name" in page.content.decode()
    submit(client, answers)
    assert Application.objects.get().previous_last_name == "Evans"


def test_no_previous_name_is_asked_of_someone_who_did_not_change_it(client):
    asked = []
    walk_recording(client, ordinary_answers(), asked)
    assert "previous-name-details" not in asked


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nino": "QQ123456C"}, "in the correct format"),
        ({"nino": ""}, "or select that you do not have one"),
        (
            {"cannot_give": "yes"},
            "Tell us why you cannot give your National Insurance number",
        ),
        ({"nino": "AB123456C", "cannot_give": "yes", "reason": "x"}, "not both"),
    ],
)
def test_nino_answers_are_checked(client, data, message):
    walk(client, ordinary_answers(), stop_at="national-insurance-number")
    page = client.post("/register/national-insurance-number/", data)
    assert message in page.content.decode()


def test_someone_without_a_nino_gives_a_reason(client):
    answers = ordinary_answers(
        **{
            "national-insurance-number": {
                "cannot_give": "yes",
                "reason": "I have lost it",
            }
        }
    )
    submit(client, answers)
    application = Application.objects.get()
    assert application.nino_encrypted == ""
    assert application.no_nino_reason == "I have lost it"


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("", "Enter your postcode"),
        ("NOT A CODE", "Enter a real postcode"),
        ("ZZ99 9ZZ", "Enter a real postcode"),
        ("EC1A 1BB", "We cannot find this postcode"),
    ],
)
def test_postcodes_are_checked(client, postcode, message):
    walk(client, ordinary_answers(), stop_at="address")
    page = client.post("/register/address/", {"postcode": postcode})
    assert message in page.content.decode()


def test_an_address_not_in_the_list_can_be_typed_in(client):
    address = an_address("England", 3)
    answers = ordinary_answers(address)
    walk(client, answers, stop_at="address-select")
    page = client.get("/register/address-manual/")
    assert page.status_code == 200
    response = client.post(
        "/register/address-manual/", {"line_1": "The Barn", "town": "Somewhere"}
    )
    assert response.status_code == 302
    for slug in ("moved", "other-address", "open-register", "postal-vote", "contact"):
        response = client.post("/register/%s/" % slug, answers[slug])
    assert response["Location"] == CHECK_ANSWERS
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    application = Application.objects.get()
    assert application.address_manual is True
    assert application.address_line_1 == "The Barn"
    assert application.authority == address.authority


def test_someone_who_moved_gives_a_previous_address_that_is_not_the_current_one(client):
    address = an_address("England", 0)
    previous = an_address("England", 40)
    answers = ordinary_answers(
        address,
        moved={"moved": "from-uk"},
        **{
            "previous-address": {"postcode": previous.postcode},
            "previous-address-select": {"uprn": str(previous.uprn)},
        },
    )
    walk(client, answers, stop_at="previous-address-select")
    same = client.get("/register/previous-address/")
    assert same.status_code == 200
    client.post("/register/previous-address/", {"postcode": address.postcode})
    page = client.post(
        "/register/previous-address-select/", {"uprn": str(address.uprn)}
    )
    assert "cannot be the same as your current address" in page.content.decode()
    client.post("/register/previous-address/", {"postcode": previous.postcode})
    response = client.post(
        "/register/previous-address-select/", {"uprn": str(previous.uprn)}
    )
    assert response.status_code == 302
    for slug in ("other-address", "open-register", "postal-vote", "contact"):
        client.post("/register/%s/" % slug, answers[slug])
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    assert Application.objects.get().previous_uprn == previous.uprn


def test_a_previous_address_in_northern_ireland_needs_only_its_postcode(client):
    answers = ordinary_answers(
        moved={"moved": "from-uk"}, **{"previous-address": {"postcode": "BT7 1NN"}}
    )
    submit(client, answers)
    assert Application.objects.get().previous_postcode == "BT7 1NN"


def test_back_from_abroad_but_not_an_overseas_voter_skips_the_previous_address(
    client,
):
    answers = ordinary_answers(
        moved={"moved": "from-abroad"},
        **{"overseas-voter": {"registered_overseas": "no"}},
    )
    asked = []
    walk_recording(client, answers, asked)
    assert "overseas-voter" in asked
    assert "previous-address" not in asked


def test_someone_back_from_abroad_who_was_an_overseas_voter_gives_their_last_uk_address(
    client,
):
    previous = an_address("Wales", 5)
    answers = ordinary_answers(
        moved={"moved": "from-abroad"},
        **{
            "overseas-voter": {"registered_overseas": "yes"},
            "previous-address": {"postcode": previous.postcode},
            "previous-address-select": {"uprn": str(previous.uprn)},
        },
    )
    walk(client, answers, stop_at="previous-address")
    page = client.get("/register/previous-address/")
    assert "What was your last UK address?" in page.content.decode()
    submit(client, answers)
    application = Application.objects.get()
    assert application.previous_uprn == previous.uprn
    assert application.details["registered_overseas"] is True


def test_people_who_want_a_postal_vote_are_shown_how_to_apply(client):
    submit(client, ordinary_answers(**{"postal-vote": {"postal_vote": "yes"}}))
    page = client.get("/register/complete/")
    assert "Apply for a postal vote" in page.content.decode()
    assert Application.objects.get().postal_vote == "yes"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"phone": "12"}, "Enter a telephone number"),
    ],
)
def test_contact_details_are_checked(client, data, message):
    walk(client, ordinary_answers(), stop_at="contact")
    page = client.post("/register/contact/", data)
    assert message in page.content.decode()


def test_contact_details_are_optional_and_phone_numbers_are_normalised(client):
    submit(client, ordinary_answers(contact={"email": "", "phone": "07700 900982"}))
    application = Application.objects.get()
    assert application.email == ""
    assert application.phone == "+447700900982"


def test_the_declaration_must_be_accepted(client):
    walk(client, ordinary_answers())
    page = client.post(CHECK_ANSWERS, {})
    assert page.status_code == 200
    assert (
        "Confirm that the information you have given is true" in page.content.decode()
    )
    assert not Application.objects.exists()


def test_check_answers_lists_every_answer_with_change_links(client):
    page = walk(client, ordinary_answers())
    html = page.content.decode()
    for text in (
        "Siân Mair O&#39;Brien-Jones",
        "14 February 1985",
        "AB 12 34 56 C",
        "British",
    ):
        assert text in html
    assert 'href="/register/date-of-birth/?change=1"' in html
    assert 'href="/register/address/?change=1"' in html


def test_a_change_from_check_answers_returns_to_check_answers(client):
    walk(client, ordinary_answers())
    response = client.post("/register/date-of-birth/?change=1", dob(40))
    assert response["Location"] == CHECK_ANSWERS


def test_a_change_that_opens_a_new_question_asks_it_then_returns(client):
    walk(client, ordinary_answers())
    response = client.post("/register/moved/", {"moved": "from-uk"})
    assert response["Location"] == "/register/previous-address/"


def test_changing_the_postcode_asks_for_the_address_again(client):
    other = an_address("England", 30)
    walk(client, ordinary_answers())
    response = client.post("/register/address/", {"postcode": other.postcode})
    assert response["Location"] == "/register/address-select/"


def test_pages_cannot_be_skipped(client):
    client.get("/register/start/")
    response = client.get("/register/contact/")
    assert response["Location"] == "/register/where-you-live/"


def test_a_journey_page_without_a_journey_goes_to_the_start(client):
    response = client.get("/register/name/")
    assert response["Location"] == "/"


def test_an_expired_journey_shows_the_timeout_page_and_forgets_the_answers(
    client, settings
):
    walk(client, ordinary_answers(), stop_at="name")
    settings.JOURNEY_IDLE_SECONDS = -1
    settings.JOURNEY_RESEAL_SECONDS = 0
    response = client.get("/register/name/")
    assert response["Location"] == "/register/session-expired/"
    page = client.get(response["Location"])
    assert "Nothing was sent" in page.content.decode()


def test_a_tampered_cookie_is_treated_as_no_journey(client, settings):
    client.get("/register/start/")
    client.cookies[settings.JOURNEY_COOKIE_NAME] = "gAAAAAB-not-a-real-token"
    assert client.get("/register/name/")["Location"] == "/"


def test_double_submission_refresh_and_back_give_the_same_single_application(client):
    answers = ordinary_answers()
    walk(client, answers)
    first = client.post(CHECK_ANSWERS, {"declaration": "on"})
    second = client.post(CHECK_ANSWERS, {"declaration": "on"})
    assert first["Location"] == second["Location"] == "/register/complete/"
    assert client.get("/register/contact/")["Location"] == "/register/complete/"
    reference = Application.objects.get().reference
    assert reference[:5] in client.get("/register/complete/").content.decode()
    assert Application.objects.count() == 1


def test_answers_sent_again_from_an_older_cookie_get_the_first_application(client):
    """A double click whose first request finished first: the second carries the
    cookie as it was before the send, saves nothing and shows the same reference."""
    from http.cookies import SimpleCookie

    from django.test import Client

    walk(client, ordinary_answers())
    twin = Client()
    twin.cookies = SimpleCookie(client.cookies.output(header="", sep=";"))
    first = client.post(CHECK_ANSWERS, {"declaration": "on"})
    second = twin.post(CHECK_ANSWERS, {"declaration": "on"})
    assert first["Location"] == second["Location"] == "/register/complete/"
    application = Application.objects.get()
    assert list(application.events.values_list("event", flat=True)) == ["submitted"]
    for browser in (client, twin):
        shown = browser.get("/register/complete/").content.decode()
        assert application.reference[5:] in shown


def test_the_welsh_journey_works_under_cy(client):
    response = submit(client, ordinary_answers(), prefix="/cy")
    assert response["Location"] == "/cy/register/complete/"
    assert Application.objects.get().language == "cy"


def test_the_answers_cookie_holds_no_readable_personal_data(client, settings):
    walk(client, ordinary_answers())
    token = client.cookies[settings.JOURNEY_COOKIE_NAME].value
    assert "Brien" not in token and "1985" not in token
    assert client.cookies[settings.JOURNEY_COOKIE_NAME]["httponly"]


def test_journey_pages_are_not_cached(client):
    client.get("/register/start/")
    page = client.get("/register/where-you-live/")
    assert "no-store" in page["Cache-Control"]
