"""Following an application: reference and date of birth, and nothing else revealed."""

from datetime import date

import pytest
from django.core.cache import cache

from ier.registration import lifecycle, references
from ier.registration.models import Application, Status
from tests.citizen.helpers import ordinary_answers, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def application(client) -> Application:
    submit(client, ordinary_answers())
    client.cookies.clear()
    return Application.objects.get()


def lookup(client, reference, born=date(1985, 2, 14), prefix=""):
    return client.post(
        prefix + "/status/",
        {
            "reference": reference,
            "date_of_birth-day": str(born.day),
            "date_of_birth-month": str(born.month),
            "date_of_birth-year": str(born.year),
        },
    )


def test_the_right_reference_and_date_of_birth_show_the_stage(client, application):
    page = lookup(client, references.display_reference(application.reference).lower())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Your application" in html
    assert "Received" in html
    assert application.authority.contact["name"] in html


def test_nothing_personal_is_shown(client, application):
    html = lookup(client, application.reference).content.decode()
    for secret in ("Siân", "O'Brien", "O&#x27;Brien", application.address_line_1):
        assert secret not in html
    assert application.address_postcode not in html


@pytest.mark.parametrize(
    ("path", "stage", "text"),
    [
        ([Status.VERIFIED], "Being checked", "will contact you if they need"),
        ([Status.VERIFIED, Status.DOWNLOADED], "With your council", "will contact"),
        (
            [Status.NOT_VERIFIED, Status.DOWNLOADED, Status.EVIDENCE_REQUESTED],
            "More evidence needed",
            "needs more evidence",
        ),
        (
            [Status.VERIFIED, Status.DOWNLOADED, Status.ACCEPTED],
            "Registered",
            "You are registered to vote",
        ),
        (
            [Status.VERIFIED, Status.DOWNLOADED, Status.REJECTED],
            "Not registered",
            "decided not to register you",
        ),
    ],
)
def test_each_status_is_told_in_plain_words(client, application, path, stage, text):
    for status in path:
        lifecycle.transition(application, status, actor="test")
    html = lookup(client, application.reference).content.decode()
    assert stage in html and text in html
    assert "nino" not in html.lower() and "verif" not in html.lower()


def test_a_wrong_date_of_birth_says_the_same_as_an_unknown_reference(
    client, application
):
    wrong_date = lookup(client, application.reference, born=date(1985, 2, 15))
    other = references.new_reference()
    unknown = lookup(client, other)
    message = "We could not find an application with that reference number"
    assert message in wrong_date.content.decode()
    assert message in unknown.content.decode()
    assert wrong_date.status_code == unknown.status_code == 200


def test_a_mistyped_reference_is_caught_before_any_lookup(client, application):
    typo = application.reference[:-1] + (
        "B" if application.reference[-1] != "B" else "C"
    )
    page = lookup(client, typo)
    assert "Enter the reference number exactly as it was shown to you" in (
        page.content.decode()
    )


def test_lookups_are_rate_limited(client, application, settings):
    settings.STATUS_LOOKUPS_PER_WINDOW = 3
    for _ in range(3):
        assert lookup(client, references.new_reference()).status_code == 200
    limited = lookup(client, application.reference)
    assert limited.status_code == 429
    assert "Too many attempts" in limited.content.decode()
    assert "Received" not in limited.content.decode()


def test_the_status_page_is_in_welsh_under_cy(client, application):
    page = client.get("/cy/status/")
    assert "Gwirio eich cais" in page.content.decode()
    result = lookup(client, application.reference, prefix="/cy")
    assert "Wedi dod i law" in result.content.decode()


def test_status_pages_are_not_cached(client):
    assert "no-store" in client.get("/status/")["Cache-Control"]
