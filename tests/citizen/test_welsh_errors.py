"""Error messages on Welsh pages are Welsh, including those that name a field."""

import re
from html import unescape

import pytest

from tests.citizen.helpers import ordinary_answers, walk

pytestmark = pytest.mark.django_db


def field_errors(response) -> list[str]:
    html = unescape(response.content.decode())
    found = re.findall(
        r'class="govuk-error-message"[^>]*>\s*<span[^>]*>[^<]*</span>\s*([^<]+?)\s*<',
        html,
    )
    return found


@pytest.mark.parametrize(
    ("slug", "data", "welsh"),
    [
        (
            "name",
            {"first_name": "A" * 61, "last_name": "Jones"},
            "Enw cyntaf: rhaid iddo fod yn 60 nod neu lai",
        ),
        (
            "name",
            {"first_name": "R2D2", "last_name": "Jones"},
            "Enw cyntaf: rhaid iddo gynnwys llythrennau",
        ),
        (
            "name",
            {"first_name": "Ze\u0301\u0302\u0308\u0303d", "last_name": "Jones"},
            "Enw cyntaf: ni chaiff fod mwy na 3 acen ar un llythyren",
        ),
        (
            "date-of-birth",
            {"date_of_birth-day": "31", "date_of_birth-year": "1990"},
            "Dyddiad geni: rhaid cynnwys mis",
        ),
        (
            "date-of-birth",
            {
                "date_of_birth-day": "1",
                "date_of_birth-month": "1",
                "date_of_birth-year": "1850",
            },
            "Rhaid i'r dyddiad geni fod ar ôl",
        ),
    ],
)
def test_field_errors_on_welsh_pages_are_welsh(client, slug, data, welsh):
    walk(client, ordinary_answers(), prefix="/cy", stop_at=slug)
    errors = field_errors(client.post("/cy/register/%s/" % slug, data))
    assert any(error.startswith(welsh) for error in errors), errors


def test_the_same_error_is_english_on_the_english_page(client):
    walk(client, ordinary_answers(), stop_at="name")
    errors = field_errors(
        client.post("/register/name/", {"first_name": "A" * 61, "last_name": "J"})
    )
    assert "First name must be 60 characters or fewer" in errors
