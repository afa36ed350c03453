"""`ier purge`: determined applications go once their retention period has passed,
with their evidence files, and each leaves an audit row without personal data."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ier.ero import evidence
from ier.ero.models import AuditEntry, EvidenceFile, EvidenceRequest
from ier.registration.models import Application, Status
from tests.api.factories import create_application, two_authorities

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_dir(settings, tmp_path):
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.RETENTION_DAYS = 30


def determined(authority, days_ago, status=Status.ACCEPTED):
    return create_application(
        authority, status, determined_at=timezone.now() - timedelta(days=days_ago)
    )


def with_evidence(application) -> EvidenceFile:
    request = EvidenceRequest.objects.create(
        application=application,
        authority_id=application.authority_id,
        token_hash="x" * 64,
        message="Send a passport",
        requested_by="officer",
        expires_at=timezone.now(),
    )
    return evidence.store(request, b"%PDF-1.4 a document", "application/pdf")


def purge(*args) -> str:
    out = StringIO()
    call_command("purge", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_counts_what_is_due_and_deletes_nothing():
    authority, _other = two_authorities()
    old = determined(authority, 31)
    with_evidence(old)
    determined(authority, 5)
    assert "1 applications and 1 evidence files are due" in purge("--dry-run")
    assert Application.objects.count() == 2
    assert EvidenceFile.objects.count() == 1


def test_purge_deletes_only_determined_applications_past_retention():
    authority, other = two_authorities()
    old_accepted = determined(authority, 31)
    old_rejected = determined(other, 400, Status.REJECTED)
    recent = determined(authority, 29)
    pending = create_application(authority, Status.DOWNLOADED)
    assert "Purged 2 applications" in purge("--chunk-size", "1")
    remaining = set(Application.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, pending.pk}
    purged = AuditEntry.objects.filter(action="purge")
    assert {(e.reference, e.authority_id) for e in purged} == {
        (old_accepted.reference, authority.pk),
        (old_rejected.reference, other.pk),
    }
    for entry in purged:
        assert set(entry.detail) == {"retention_days"}


def test_evidence_files_leave_the_disk_with_their_application():
    authority, _other = two_authorities()
    stored = with_evidence(determined(authority, 31))
    path = evidence._path(stored.stored_name)
    assert path.exists()
    purge()
    assert not path.exists()
    assert not EvidenceFile.objects.exists()


def test_a_second_run_finds_nothing_more():
    authority, _other = two_authorities()
    determined(authority, 31)
    assert "Purged 1 applications" in purge()
    assert "Purged 0 applications" in purge()


def test_an_older_row_without_a_determination_time_counts_from_its_last_change():
    authority, _other = two_authorities()
    application = create_application(authority, Status.REJECTED, determined_at=None)
    Application.objects.filter(pk=application.pk).update(
        updated_at=timezone.now() - timedelta(days=31)
    )
    purge()
    assert not Application.objects.exists()
