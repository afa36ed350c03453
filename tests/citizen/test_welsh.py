"""Every citizen page, message, error and email has a Welsh twin under /cy/."""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.utils import timezone

from ier.core.management.commands.makemessages import untranslated
from ier.registration.models import Application
from tests.citizen.helpers import an_address, ordinary_answers, submit
from tests.citizen.test_overseas_journey import overseas_answers
from tests.citizen.test_service_journeys import service_answers

pytestmark = pytest.mark.django_db

CHECK_ANSWERS = "/register/check-answers/"


def h1(response) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", found[1])).split())


def test_every_citizen_facing_message_has_a_welsh_translation():
    """Extracts every message from the code and templates now (not from the
    catalogue), so a new English string without a Welsh twin fails here."""
    call_command("makemessages", locale=["cy"], check=True, verbosity=0)


def test_the_check_finds_missing_and_fuzzy_translations(tmp_path):
    pot = tmp_path / "django.pot"
    pot.write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Back"\nmsgstr ""\n\n'
        'msgid "Continue"\nmsgstr ""\n\nmsgid "Change"\nmsgstr ""\n',
        encoding="utf-8",
    )
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Back"\nmsgstr "Yn ôl"\n\n'
        '#, fuzzy\nmsgid "Continue"\nmsgstr "Parhau"\n',
        encoding="utf-8",
    )
    assert untranslated(str(pot), str(po)) == ["Change", "Continue"]


def walk_in_both_languages(client, kind, answers):
    """Walk a journey in Welsh; at every page check the English twin differs."""
    seen = []
    response = client.get("/cy/register/start/%s" % ("%s/" % kind if kind else ""))
    for _ in range(40):
        location = response["Location"]
        assert location.startswith("/cy/"), location
        welsh = client.get(location)
        english = client.get(location[3:])
        assert welsh.status_code == english.status_code == 200, location
        assert 'lang="cy"' in welsh.content.decode()
        assert h1(welsh) != h1(english), (location, h1(welsh))
        seen.append(location)
        if location.endswith(CHECK_ANSWERS) or "/exit/" in location:
            return seen
        slug = location.rstrip("/").split("/")[-1]
        response = client.post(location, answers[slug])
        assert response.status_code == 302, (slug, h1(client.post(location, {})))
    raise AssertionError("the journey did not end")


@pytest.mark.parametrize(
    ("kind", "answers"),
    [
        ("", lambda: ordinary_answers(an_address("Wales"))),
        ("overseas", lambda: overseas_answers(an_address("Wales"))),
        ("forces", lambda: service_answers("forces", an_address("Wales"))),
        ("crown", lambda: service_answers("crown", an_address("Wales"))),
    ],
)
def test_every_page_of_every_journey_has_a_welsh_twin(client, kind, answers):
    seen = walk_in_both_languages(client, kind, answers())
    assert seen[-1] == "/cy" + CHECK_ANSWERS
    response = client.post("/cy" + CHECK_ANSWERS, {"declaration": "on"})
    assert response["Location"] == "/cy/register/complete/"
    complete = client.get("/cy/register/complete/").content.decode()
    assert "Cais wedi’i gwblhau" in unescape(complete) or "Cais wedi'i gwblhau" in (
        unescape(complete)
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/overseas/",
        "/forces/",
        "/crown/",
        "/other-ways-to-register/",
        "/status/",
        "/feedback/",
        "/feedback/thank-you/",
        "/cookies/",
        "/accessibility/",
        "/privacy/",
        "/register/session-expired/",
        "/register/exit/northern-ireland/",
        "/register/exit/overseas/",
        "/register/exit/not-eligible/",
        "/register/exit/too-young/",
        "/register/exit/overseas-not-eligible/",
    ],
)
def test_every_information_page_has_a_welsh_twin(client, path):
    welsh, english = client.get("/cy" + path), client.get(path)
    assert welsh.status_code == english.status_code == 200
    assert h1(welsh) != h1(english)
    assert 'lang="cy"' in welsh.content.decode()


def test_errors_are_in_welsh(client):
    client.get("/cy/register/start/")
    page = client.post("/cy/register/where-you-live/", {})
    html = unescape(page.content.decode())
    assert "Mae problem wedi codi" in html
    assert "Dewiswch ble rydych chi'n byw" in html
    assert "<title>Gwall: " in html


def test_the_language_switcher_keeps_the_place_and_the_answers(client):
    client.get("/register/start/")
    client.post("/register/where-you-live/", {"country": "wales"})
    english = client.get("/register/where-you-live/").content.decode()
    assert 'href="/cy/register/where-you-live/"' in english
    welsh = client.get("/cy/register/where-you-live/").content.decode()
    assert 'href="/register/where-you-live/"' in welsh
    assert 'value="wales" checked' in welsh


def test_council_names_are_in_welsh_where_they_have_one(client):
    home = an_address("Wales")
    assert home.authority.name_cy
    submit(client, ordinary_answers(home), prefix="/cy")
    page = unescape(client.get("/cy/register/complete/").content.decode())
    assert home.authority.name_cy in page


def test_dates_use_welsh_month_names(client):
    submit(client, ordinary_answers())
    application = Application.objects.get()
    client.cookies.clear()
    page = client.post(
        "/cy/status/",
        {
            "reference": application.reference,
            "date_of_birth-day": "14",
            "date_of_birth-month": "2",
            "date_of_birth-year": "1985",
        },
    )
    months = [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ]
    today = timezone.localdate()
    expected = "%d %s %d" % (today.day, months[today.month - 1], today.year)
    assert expected in page.content.decode()
