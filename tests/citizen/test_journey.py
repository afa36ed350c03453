import pytest

from ier.registration.models import Application, ApplicationEvent, Status
from tests.citizen.helpers import an_address, ordinary_answers, submit

pytestmark = pytest.mark.django_db


def test_a_complete_journey_saves_one_application_routed_to_the_address_council(client):
    """The happy path: every page, then a reference, and the row in the database."""
    address = an_address("Wales")
    response = submit(client, ordinary_answers(address))
    assert response.status_code == 302
    assert response["Location"] == "/register/complete/"
    page = client.get("/register/complete/")
    application = Application.objects.get()
    assert application.authority == address.authority
    assert application.status == Status.SUBMITTED
    assert application.first_name == "Siân"
    assert application.last_name == "O'Brien-Jones"
    assert application.nino == "AB123456C"
    assert application.address_uprn == address.uprn
    assert application.address_postcode == address.postcode
    assert application.email == "sian@example.com"
    assert application.open_register is False
    assert application.reference[:5] in page.content.decode()
    assert (
        ApplicationEvent.objects.filter(
            application=application, event="submitted"
        ).count()
        == 1
    )


def test_the_confirmation_page_reads_the_application_once_without_ordering(client):
    """The idempotency key is unique: one read, by the key, and no ORDER BY to
    work out (the page is seen once by every applicant)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit(client, ordinary_answers())
    with CaptureQueriesContext(connection) as read:
        page = client.get("/register/complete/")
    assert Application.objects.get().reference[:5] in page.content.decode()
    reads = [q["sql"] for q in read.captured_queries if "idempotency_key" in q["sql"]]
    assert len(reads) == 1
    assert "ORDER BY" not in reads[0]
