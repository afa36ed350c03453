import csv
import io

import pytest
from django.utils import timezone

from ier.ero.models import AuditEntry, Note
from ier.registration.models import ApplicationEvent, Status
from tests.api.factories import create_application

pytestmark = pytest.mark.django_db


def test_dashboard_counts_by_status_and_age(officer_client, authority):
    create_application(authority, Status.PARTIAL)
    create_application(
        authority,
        Status.NOT_VERIFIED,
        submitted_at=timezone.now() - timezone.timedelta(days=10),
    )
    create_application(authority, Status.ACCEPTED)
    page = officer_client.get("/ero/").content.decode()
    assert "2 applications need attention first" in page
    assert "8 to 28 days" in page


def test_work_queue_puts_amber_red_no_nino_and_duplicates_first(
    officer_client, authority
):
    green = create_application(authority, Status.VERIFIED)
    duplicate = create_application(authority, Status.VERIFIED, possible_duplicate=True)
    no_nino = create_application(authority, Status.NO_NINO)
    red = create_application(authority, Status.NOT_VERIFIED)
    amber = create_application(authority, Status.PARTIAL)
    create_application(authority, Status.ACCEPTED)
    page = officer_client.get("/ero/applications/").content.decode()
    order = [amber, red, no_nino, duplicate, green]
    positions = [page.index(a.reference) for a in order]
    assert positions == sorted(positions)


def test_search_by_reference_name_and_postcode(officer_client, authority):
    target = create_application(
        authority,
        first_name="Gwenllian",
        last_name="Price",
        address_postcode="CF10 1AA",
    )
    other = create_application(authority, first_name="Tom")
    for query in (target.reference.lower(), "gwenllian price", "cf101aa"):
        page = officer_client.get("/ero/applications/", {"q": query}).content.decode()
        assert target.reference in page
        assert other.reference not in page


def test_filter_by_status(officer_client, authority):
    accepted = create_application(authority, Status.ACCEPTED)
    page = officer_client.get(
        "/ero/applications/", {"status": "accepted"}
    ).content.decode()
    assert accepted.reference in page


def test_application_page_shows_answers_result_and_history(officer_client, authority):
    app = create_application(authority, Status.PARTIAL)
    page = officer_client.get("/ero/applications/%s/" % app.reference).content.decode()
    assert app.full_name in page
    assert "Amber: partly matched" in page
    assert app.nino in page
    assert "Submitted" in page
    entry = AuditEntry.objects.for_authority(authority).get(action="view")
    assert entry.reference == app.reference


def test_add_note(officer_client, authority, officer):
    app = create_application(authority)
    response = officer_client.post(
        "/ero/applications/%s/notes/" % app.reference, {"text": "Phoned the applicant"}
    )
    assert response.status_code == 302
    note = Note.objects.for_authority(authority).get(application=app)
    assert note.author == officer.user.username
    assert (
        "Phoned the applicant"
        in officer_client.get(response["Location"]).content.decode()
    )


def test_empty_note_shows_error(officer_client, authority):
    app = create_application(authority)
    response = officer_client.post(
        "/ero/applications/%s/notes/" % app.reference, {"text": ""}
    )
    assert response.status_code == 400
    assert "Enter the note" in response.content.decode()


def test_record_determination(officer_client, authority, officer):
    app = create_application(authority, Status.DOWNLOADED, downloaded_at=timezone.now())
    today = timezone.localdate()
    response = officer_client.post(
        "/ero/applications/%s/determination/" % app.reference,
        {
            "outcome": "accepted",
            "decided_on-day": today.day,
            "decided_on-month": today.month,
            "decided_on-year": today.year,
            "reason": "",
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.ACCEPTED
    event = ApplicationEvent.objects.filter(application=app).last()
    assert event.actor == "officer:%s" % officer.user.username


def test_determination_mistakes_are_explained_and_kept(officer_client, authority):
    app = create_application(authority, Status.DOWNLOADED, downloaded_at=timezone.now())
    response = officer_client.post(
        "/ero/applications/%s/determination/" % app.reference,
        {
            "decided_on-day": "31",
            "decided_on-month": "2",
            "decided_on-year": "2026",
            "reason": "kept text",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Select whether to accept or reject the application" in body
    assert "must be a real date" in body
    assert "kept text" in body


def test_determination_before_download_is_not_offered(officer_client, authority):
    app = create_application(authority, Status.VERIFIED)
    page = officer_client.get("/ero/applications/%s/" % app.reference).content.decode()
    assert "Record decision" not in page
    today = timezone.localdate()
    response = officer_client.post(
        "/ero/applications/%s/determination/" % app.reference,
        {
            "outcome": "accepted",
            "decided_on-day": today.day,
            "decided_on-month": today.month,
            "decided_on-year": today.year,
        },
    )
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == Status.VERIFIED


def test_export_csv_of_the_filtered_list(officer_client, authority):
    wanted = create_application(authority, Status.NOT_VERIFIED, first_name="=HYPERLINK")
    create_application(authority, Status.VERIFIED)
    response = officer_client.get(
        "/ero/applications/export.csv", {"status": "not_verified"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "reference"
    assert [r[0] for r in rows[1:]] == [wanted.reference]
    assert rows[1][3] == "'=HYPERLINK"
    assert AuditEntry.objects.for_authority(authority).filter(action="export").exists()
