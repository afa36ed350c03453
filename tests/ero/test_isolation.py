"""An officer of one authority gets nothing of another, on every page and action."""

import pytest
from django.utils import timezone

from ier.api import tokens
from ier.ero.models import EvidenceFile, EvidenceRequest, Note
from ier.registration.models import Status
from tests.api.factories import (
    councils_of_one_office,
    create_application,
    create_officer,
)
from tests.ero.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_authority):
    return create_application(
        other_authority,
        Status.DOWNLOADED,
        first_name="Elsewhere",
        downloaded_at=timezone.now(),
    )


def test_lists_dashboard_search_and_export_show_nothing_of_theirs(
    officer_client, theirs
):
    pages = [officer_client.get("/ero/"), officer_client.get("/ero/applications/")]
    exports = [officer_client.get("/ero/applications/export.csv")]
    for text, status in [
        (theirs.reference, ""),
        ("Elsewhere", ""),
        ("", "downloaded"),
        ("Elsewhere", "downloaded"),
    ]:
        sent = officer_client.post("/ero/applications/", {"q": text, "status": status})
        pages.append(officer_client.get(sent["Location"]))
        exports.append(
            officer_client.get(
                sent["Location"].replace("/applications/", "/applications/export.csv")
            )
        )
    for page in pages:
        assert page.status_code == 200
        assert "/ero/applications/%s/" % theirs.reference not in page.content.decode()
        assert theirs.full_name not in page.content.decode()
    for export in exports:
        assert theirs.reference not in b"".join(export.streaming_content).decode()


def test_a_search_is_only_of_the_session_that_made_it(
    officer_client, client, theirs, other_authority
):
    """Their officer's results URL, sent to ours, shows nothing of their search."""
    their_client = sign_in(type(client)(), create_officer(other_authority))
    sent = their_client.post("/ero/applications/", {"q": "Elsewhere"})
    assert theirs.reference in their_client.get(sent["Location"]).content.decode()
    page = officer_client.get(sent["Location"]).content.decode()
    assert "That search is no longer kept" in page
    assert theirs.reference not in page
    export = officer_client.get(
        sent["Location"].replace("/applications/", "/applications/export.csv")
    )
    assert export.status_code == 302


def test_their_application_and_actions_are_404(officer_client, theirs):
    base = "/ero/applications/%s/" % theirs.reference
    today = timezone.localdate()
    assert officer_client.get(base).status_code == 404
    assert officer_client.post(base + "notes/", {"text": "x"}).status_code == 404
    assert (
        officer_client.post(
            base + "determination/",
            {
                "outcome": "accepted",
                "decided_on-day": today.day,
                "decided_on-month": today.month,
                "decided_on-year": today.year,
            },
        ).status_code
        == 404
    )
    assert (
        officer_client.post(base + "evidence-request/", {"message": "x"}).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == Status.DOWNLOADED
    assert not Note.objects.filter(application=theirs).exists()


def test_their_evidence_file_is_404(officer_client, authority, theirs):
    request = EvidenceRequest.objects.create(
        application=theirs,
        authority=theirs.authority,
        token_hash="y" * 64,
        requested_by="them",
        expires_at=timezone.now(),
    )
    stored = EvidenceFile.objects.create(
        request=request,
        application=theirs,
        authority=theirs.authority,
        stored_name="z" * 40,
        content_type="application/pdf",
        size=1,
    )
    mine = create_application(authority)
    for reference in (theirs.reference, mine.reference):
        path = "/ero/applications/%s/evidence/%d/" % (reference, stored.pk)
        assert officer_client.get(path).status_code == 404


def test_managers_cannot_touch_other_teams_or_tokens(manager_client, other_authority):
    their_officer = create_officer(other_authority)
    their_token, _secret = tokens.create_token(other_authority, "Their EMS")
    assert (
        their_officer.user.username
        not in manager_client.get("/ero/team/").content.decode()
    )
    assert (
        manager_client.post("/ero/team/%d/remove/" % their_officer.pk).status_code
        == 404
    )
    assert "Their EMS" not in manager_client.get("/ero/tokens/").content.decode()
    assert (
        manager_client.post("/ero/tokens/%d/revoke/" % their_token.pk).status_code
        == 404
    )
    their_token.refresh_from_db()
    assert their_token.revoked_at is None


def test_audit_log_shows_only_own_authority(manager_client, other_authority, client):
    other_manager = create_officer(other_authority, role="manager")
    theirs = create_application(other_authority)
    other = sign_in(type(client)(), other_manager)
    other.get("/ero/applications/%s/" % theirs.reference)
    assert theirs.reference not in manager_client.get("/ero/audit/").content.decode()


def test_a_joint_board_office_sees_every_council_it_serves(client):
    """Officers of a Scottish registration office serving several councils see and
    work on the applications of all of them (whichever council their account is
    with), and nothing of a council another office serves."""
    first, second, elsewhere = councils_of_one_office()
    ours = create_application(second, first_name="Morag")
    theirs = create_application(elsewhere, first_name="Elsewhere")
    officer = sign_in(type(client)(), create_officer(first))
    queue = officer.get("/ero/applications/").content.decode()
    assert ours.reference in queue and theirs.reference not in queue
    sent = officer.post("/ero/applications/", {"q": "Morag"})
    assert ours.reference in officer.get(sent["Location"]).content.decode()
    sent = officer.post("/ero/applications/", {"q": "Elsewhere"})
    assert theirs.reference not in officer.get(sent["Location"]).content.decode()
    assert officer.get("/ero/applications/%s/" % ours.reference).status_code == 200
    assert officer.get("/ero/applications/%s/" % theirs.reference).status_code == 404
    officer.post("/ero/applications/%s/notes/" % ours.reference, {"text": "Seen"})

    colleague = sign_in(type(client)(), create_officer(second, role="manager"))
    page = colleague.get("/ero/applications/%s/" % ours.reference).content.decode()
    assert "Seen" in page
    audit = colleague.get("/ero/audit/").content.decode()
    assert audit.count(ours.reference) >= 2  # the other council's officer's view too

    outsider = sign_in(type(client)(), create_officer(elsewhere, role="manager"))
    assert outsider.get("/ero/applications/%s/" % ours.reference).status_code == 404
    assert ours.reference not in outsider.get("/ero/audit/").content.decode()
    assert ours.reference not in outsider.get("/ero/").content.decode()
