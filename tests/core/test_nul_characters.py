"""A NUL (U+0000) typed into a form or put in a web address is refused with a
message, on citizen and portal pages alike. No database column can hold one
(PostgreSQL refuses it), and no person types one."""

import re
from html import unescape

import pytest

from tests.api.factories import create_application, create_officer, two_authorities
from tests.citizen.helpers import ordinary_answers, walk
from tests.ero.conftest import sign_in

pytestmark = pytest.mark.django_db


def errors_on(response) -> list[str]:
    text = unescape(response.content.decode())
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', text)


def test_a_nul_typed_in_a_citizen_form_is_refused_naming_the_field(client):
    walk(client, ordinary_answers(), stop_at="name")
    page = client.post("/register/name/", {"first_name": "Ann\x00", "last_name": "Lee"})
    assert page.status_code == 200
    assert "First name must not include a null character" in errors_on(page)
    assert 'value="Ann"' in page.content.decode()  # what was typed stays, less the NUL


def test_a_nul_in_one_part_of_a_date_names_the_date(client):
    walk(client, ordinary_answers(), stop_at="date-of-birth")
    page = client.post(
        "/register/date-of-birth/",
        {
            "date_of_birth-day": "2\x00",
            "date_of_birth-month": "9",
            "date_of_birth-year": "1970",
        },
    )
    assert "Date of birth must not include a null character" in errors_on(page)


def test_the_message_is_welsh_on_a_welsh_page(client):
    walk(client, ordinary_answers(), prefix="/cy", stop_at="name")
    page = client.post(
        "/cy/register/name/", {"first_name": "Ann\x00", "last_name": "Lee"}
    )
    assert "Enw cyntaf: ni chaiff gynnwys nod nwl" in errors_on(page)


@pytest.fixture
def authority(db):
    return two_authorities()[0]


def test_a_nul_typed_in_a_portal_form_is_refused(client, authority):
    sign_in(client, create_officer(authority))
    page = client.post("/ero/applications/", {"q": "Lee\x00", "status": ""})
    assert page.status_code == 200
    assert any("must not include a null character" in e for e in errors_on(page))


@pytest.mark.parametrize(
    ("address", "heading"),
    [
        ("/register/name/?next=%00", "There is a problem with the web address"),
        ("/status/%00/", "There is a problem with the web address"),
        ("/feedback/?x=a%00b", "There is a problem with the web address"),
        ("/cy/?a%00=1", "Mae problem gyda’r cyfeiriad gwe"),
    ],
)
def test_a_nul_in_a_web_address_is_a_400_page(client, address, heading):
    page = client.get(address)
    assert page.status_code == 400
    assert heading in page.content.decode()


def test_a_nul_in_a_portal_address_is_a_400_not_a_database_error(client, authority):
    create_application(authority)
    sign_in(client, create_officer(authority))
    assert client.get("/ero/applications/%00/").status_code == 400
    assert client.get("/ero/applications/?q=%00").status_code == 400


QUERIES = [
    "",
    "a=1",
    "next=%00",
    "a%00=1",
    "x=a%00b&y=2",
    "x=%2500",  # an escaped percent sign: the text "%00", no NUL
    "x=%25%30%30",
    "x=\x00",
    "x=%C0%80",  # an overlong NUL, which UTF-8 decoding refuses
    "x=a+b&x=%00",
    "%00",
    "q=Lee%0",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_raw_query_is_looked_through_only_when_it_may_hold_a_nul(query):
    from django.test import RequestFactory

    from ier.core.middleware import _where_nul

    request = RequestFactory().get("/register/name/", QUERY_STRING=query)
    found = _where_nul(request)
    full = None
    for name, values in RequestFactory().get("/", QUERY_STRING=query).GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            full = ["query", name.replace("\x00", "\\0")]
            break
    assert found == full
    if "%00" not in query and "\x00" not in query:
        assert "GET" not in request.__dict__  # the query was never parsed
