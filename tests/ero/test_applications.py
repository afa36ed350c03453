import csv
import html
import io
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from ier.ero import searches
from ier.ero.models import AuditEntry, Note
from ier.ero.views import applications
from ier.registration.models import ApplicationEvent, Status
from tests.api.factories import create_application
from tests.ero.conftest import sign_in

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


def search(client, text="", status=""):
    """Send the search form; return the redirect and the results page it leads to."""
    response = client.post("/ero/applications/", {"q": text, "status": status})
    assert response.status_code == 302
    return response["Location"], client.get(response["Location"])


def test_search_by_reference_name_and_postcode(officer_client, authority):
    target = create_application(
        authority,
        first_name="Gwenllian",
        last_name="Price",
        address_postcode="CF10 1AA",
    )
    other = create_application(authority, first_name="Tom")
    for query in (target.reference.lower(), "gwenllian price", "cf101aa"):
        _location, results = search(officer_client, query)
        page = results.content.decode()
        assert target.reference in page
        assert other.reference not in page


def test_search_text_reaches_no_url(officer_client, authority, monkeypatch):
    """The search is posted and its results live at an opaque id; paging, the export
    link and the way back from an application carry that id, never the text."""
    monkeypatch.setattr(applications, "PAGE_SIZE", 2)
    found = [create_application(authority, last_name="Pryderi") for _ in range(3)]
    create_application(authority, last_name="Manawydan")
    location, results = search(officer_client, "Pryderi")
    assert re.fullmatch(r"/ero/applications/\?s=[A-Za-z0-9_-]{12}", location)
    page = results.content.decode()
    links = [html.unescape(link) for link in re.findall(r'href="([^"]+)"', page)]
    assert not [link for link in links if "pryd" in link.lower()]
    assert 'method="post"' in page and "pryd" not in location.lower()
    next_page = [link for link in links if "page=2" in link]
    assert next_page == ["?%s&page=2" % location.split("?")[1]]
    second = officer_client.get("/ero/applications/" + next_page[0]).content.decode()
    shown = [a.reference for a in found if a.reference in page + second]
    assert sorted(shown) == sorted(a.reference for a in found)
    assert "Manawydan" not in page + second

    export = [link for link in links if "export.csv" in link]
    assert export == ["/ero/applications/export.csv?" + location.split("?")[1]]
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(officer_client.get(export[0]).streaming_content).decode()
            )
        )
    )
    assert sorted(r[0] for r in rows[1:]) == sorted(a.reference for a in found)

    application = officer_client.get("/ero/applications/%s/" % found[0].reference)
    back = re.search(
        r'href="([^"]+)" class="govuk-back-link"', application.content.decode()
    )
    assert html.unescape(back.group(1)) == "/ero/applications/" + next_page[0]


def test_search_text_in_a_url_is_ignored(officer_client, authority):
    wanted = create_application(authority, Status.ACCEPTED, last_name="Rhiannon")
    page = officer_client.get("/ero/applications/", {"q": "Rhiannon"})
    assert wanted.reference not in page.content.decode()


def test_search_needs_the_csrf_token(officer):
    client = sign_in(Client(enforce_csrf_checks=True), officer)
    response = client.post("/ero/applications/", {"q": "Price"})
    assert response.status_code == 403


def test_a_forgotten_search_asks_to_search_again(officer_client, authority):
    create_application(authority, last_name="Branwen")
    for path in ("/ero/applications/?s=AAAAAAAAAAAA", "/ero/applications/?s=../x"):
        page = officer_client.get(path).content.decode()
        assert "That search is no longer kept" in page
    export = officer_client.get("/ero/applications/export.csv?s=AAAAAAAAAAAA")
    assert export.status_code == 302
    assert export["Location"] == "/ero/applications/?s=AAAAAAAAAAAA"


def test_only_the_latest_searches_are_kept(officer_client, authority):
    first, _ = search(officer_client, "Branwen")
    for n in range(searches.KEPT):
        search(officer_client, "Name%d" % n)
    page = officer_client.get(first).content.decode()
    assert "That search is no longer kept" in page


def test_every_search_is_audited_without_its_text(officer_client, authority):
    target = create_application(
        authority, last_name="Pwyll", address_postcode="CF10 1AA"
    )
    for text, kind in (
        ("Pwyll", "name"),
        ("cf10 1aa", "postcode"),
        (target.reference, "reference"),
    ):
        search(officer_client, text)
        entry = (
            AuditEntry.objects.for_authority(authority)
            .filter(action="list")
            .order_by("pk")
            .last()
        )
        assert entry.detail["search"]["text_kind"] == kind
        assert entry.detail["references"] == [target.reference]
        # A reference is no personal data, and is what was shown anyway.
        kept = entry.detail["search"] if kind == "reference" else entry.detail
        assert text.lower() not in json.dumps(kept).lower()
    search(officer_client, "pwyll")
    digests = {
        e["search"]["text_digest"]
        for e in AuditEntry.objects.for_authority(authority)
        .filter(action="list", detail__search__text_kind="name")
        .values_list("detail", flat=True)
    }
    assert len(digests) == 1  # the same search twice is recognisable as the same


def test_filter_by_status(officer_client, authority):
    accepted = create_application(authority, Status.ACCEPTED)
    page = officer_client.get(
        "/ero/applications/", {"status": "accepted"}
    ).content.decode()
    assert accepted.reference in page
    location, results = search(officer_client, status="accepted")
    assert location == "/ero/applications/?status=accepted"
    assert accepted.reference in results.content.decode()


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


@pytest.mark.parametrize(
    "check",
    [
        {"check": "date_of_birth", "outcome": "mismatch"},
        {"check": "date_of_birth", "outcome": "day_month_swapped"},
        {"check": "request", "outcome": "invalid"},
    ],
)
def test_reasons_name_only_what_an_officer_can_do_in_the_portal(
    officer_client, authority, check
):
    """The portal offers a note, a request for evidence and a determination; it has
    no way to resubmit or correct an application's details."""
    from ier.verification.models import Verification

    application = create_application(authority, Status.NOT_VERIFIED)
    Verification.objects.create(
        application=application, result=Status.NOT_VERIFIED, checks=[check]
    )
    page = officer_client.get("/ero/applications/%s/" % application.reference)
    text = html.unescape(page.content.decode())
    assert "resubmit" not in text.lower()
    assert "ask for evidence" in text
