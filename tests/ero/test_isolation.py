"""An officer of one authority gets nothing of another, on every page and action."""

import pytest
from django.utils import timezone

from ier.api import tokens
from ier.ero.models import EvidenceFile, EvidenceRequest, Note
from ier.registration.models import Status
from tests.api.factories import create_application, create_officer

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
    for path, query in [
        ("/ero/", {}),
        ("/ero/applications/", {}),
        ("/ero/applications/", {"q": theirs.reference}),
        ("/ero/applications/", {"q": "Elsewhere"}),
        ("/ero/applications/", {"status": "downloaded"}),
    ]:
        page = officer_client.get(path, query).content.decode()
        assert "/ero/applications/%s/" % theirs.reference not in page
        assert theirs.full_name not in page
    export = officer_client.get("/ero/applications/export.csv")
    assert theirs.reference not in b"".join(export.streaming_content).decode()


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
    from tests.ero.conftest import sign_in

    other_manager = create_officer(other_authority, role="manager")
    theirs = create_application(other_authority)
    other = sign_in(type(client)(), other_manager)
    other.get("/ero/applications/%s/" % theirs.reference)
    assert theirs.reference not in manager_client.get("/ero/audit/").content.decode()
