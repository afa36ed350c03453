"""A manager keeps their council's electoral services contact details current; the
citizen's pages and emails show them at once, and a reload of the councils file
keeps them unless told otherwise."""

import html
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from ier.ero.models import AuditEntry, Role
from ier.geography.models import Address, Authority
from ier.registration import notifications
from ier.registration.models import Application
from tests.api.factories import councils_of_one_office, create_officer
from tests.citizen.helpers import ordinary_answers, submit
from tests.ero.conftest import sign_in

pytestmark = pytest.mark.django_db

URL = "/ero/contact-details/"
NEW = {
    "email": "electoral.services@example.gov.uk",
    "phone": "01632 960 123",
    "website": "https://www.example.gov.uk/elections",
    "address": "Electoral Services, Town Hall, High Street",
    "postcode": "ts24 8ay",
}


def a_citizens_application(council: Authority) -> Application:
    address = Address.objects.filter(authority=council, synthetic=True).first()
    citizen = Client()
    submit(citizen, ordinary_answers(home=address))
    return Application.objects.get(authority=council)


def status_page(application: Application) -> str:
    born = application.date_of_birth or date(1985, 2, 14)
    page = Client().post(
        "/status/",
        {
            "reference": application.reference,
            "date_of_birth-day": str(born.day),
            "date_of_birth-month": str(born.month),
            "date_of_birth-year": str(born.year),
        },
    )
    return html.unescape(page.content.decode())


def contact_page(postcode: str) -> str:
    page = Client().post("/contact-your-council/", {"postcode": postcode})
    return html.unescape(page.content.decode())


def test_a_manager_sees_the_details_held_now(manager_client, authority):
    page = html.unescape(manager_client.get(URL).content.decode())
    assert authority.email in page
    assert authority.phone in page


def test_what_a_manager_saves_is_shown_at_once_everywhere_and_audited(
    manager_client, manager, authority
):
    application = a_citizens_application(authority)
    response = manager_client.post(URL, NEW)
    assert response.status_code == 302
    authority.refresh_from_db()
    assert authority.email == NEW["email"]
    assert authority.postcode == "TS24 8AY"
    assert authority.contact_updated_by == manager.user
    assert authority.contact_updated_at is not None
    entry = AuditEntry.objects.for_authority(authority).get(action="contact_update")
    assert entry.actor == manager.user.username
    assert entry.detail["changed"]["email"][1] == NEW["email"]
    confirmation = Client()
    submit(confirmation, ordinary_answers(home=application_address(application)))
    complete = html.unescape(confirmation.get("/register/complete/").content.decode())
    assert NEW["email"] in complete
    assert NEW["email"] in status_page(application)
    assert NEW["email"] in contact_page(application.address_postcode)
    message = notifications.build_message(application, "council")
    assert NEW["email"] in message.body and "01632 960 123" in message.body


def application_address(application: Application) -> Address:
    return Address.objects.get(uprn=application.address_uprn)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("email", "elections.example.gov.uk", "Enter an email address in the correct"),
        ("phone", "call us", "Enter a telephone number"),
        ("website", "not a web address", "Enter a web address"),
        ("postcode", "nowhere", "Enter a real postcode"),
    ],
)
def test_mistakes_are_explained_and_nothing_is_saved(
    manager_client, authority, field, typed, message
):
    before = authority.email
    page = manager_client.post(URL, NEW | {field: typed})
    text = html.unescape(page.content.decode())
    assert page.status_code == 400
    assert message in text
    assert 'value="%s"' % typed in text
    authority.refresh_from_db()
    assert authority.email == before


def test_an_email_address_or_a_telephone_number_is_needed(manager_client):
    page = manager_client.post(URL, NEW | {"email": "", "phone": ""})
    assert page.status_code == 400
    assert "Enter an email address or a telephone number" in page.content.decode()


def test_officers_who_are_not_managers_cannot_change_them(client, authority):
    sign_in(client, create_officer(authority, role=Role.OFFICER))
    assert client.get(URL).status_code == 403
    assert client.post(URL, NEW).status_code == 403
    authority.refresh_from_db()
    assert authority.email != NEW["email"]


def test_a_manager_changes_only_their_own_council(
    manager_client, authority, other_authority
):
    before = other_authority.email
    manager_client.post(URL, NEW)
    other_authority.refresh_from_db()
    assert other_authority.email == before


def test_reloading_the_councils_file_keeps_what_a_manager_set(
    manager_client, authority
):
    manager_client.post(URL, NEW)
    out = io.StringIO()
    call_command("import_authorities", stdout=out)
    authority.refresh_from_db()
    assert authority.email == NEW["email"]
    assert "Kept the contact details of 1 set in the portal" in out.getvalue()
    call_command("import_authorities", "--overwrite-local-edits", stdout=out)
    authority.refresh_from_db()
    assert authority.email != NEW["email"]
    assert authority.contact_updated_at is None
    assert "Replaced the contact details of 1 set in the portal" in out.getvalue()


def test_where_details_are_missing_the_pages_say_how_to_find_the_council():
    """Buckinghamshire, for one, came with neither an email address nor a
    telephone number."""
    home = Address.objects.filter(
        synthetic=True,
        authority__email="",
        authority__phone="",
        authority__nation="England",
    ).first()
    application = a_citizens_application(home.authority)
    for text in (status_page(application), contact_page(application.address_postcode)):
        assert "https://www.gov.uk/find-local-council" in text
        assert "/contact-your-council/" in text
    message = notifications.build_message(application, "council")
    assert "https://www.gov.uk/find-local-council" in message.body


def test_where_an_office_serves_several_councils_its_details_are_changed(client):
    """In Scotland citizens are given the registration office's details, for every
    council it serves, so those are what the manager there keeps."""
    first, second, elsewhere = councils_of_one_office()
    before = elsewhere.contact["email"]
    sign_in(client, create_officer(first, role=Role.MANAGER))
    assert client.post(URL, NEW).status_code == 302
    for council in (first, second):
        council.refresh_from_db()
        assert council.contact["email"] == NEW["email"]
        assert council.registration_office.contact_updated_at is not None
    elsewhere.refresh_from_db()
    assert elsewhere.contact["email"] == before
