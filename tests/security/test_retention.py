"""`ier purge`: personal data goes once its retention period has passed —
determined applications with their evidence files, register copies their EMS stopped
refreshing, feedback comments, finished task records, expired sessions — and every
run leaves audit rows with counts, never personal data."""

import datetime
import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ier.ero import evidence
from ier.ero.models import AuditEntry, EvidenceFile, EvidenceRequest
from ier.performance.models import Feedback
from ier.registration.models import Application, RegisterEntry, Status
from ier.registration.notifications import send_notification
from tests.api.factories import create_application, two_authorities

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_dir(settings, tmp_path):
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.RETENTION_DAYS = 30
    settings.REGISTER_RETENTION_DAYS = 60
    settings.FEEDBACK_RETENTION_DAYS = 20
    settings.TASK_RESULT_RETENTION_DAYS = 10


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


def register_entry(authority, days_ago, number="E1") -> RegisterEntry:
    entry = RegisterEntry.objects.create(
        authority=authority,
        elector_number=number,
        first_name="Siân",
        last_name="Jones",
        date_of_birth=datetime.date(1985, 2, 14),
        address_line_1="1 High Street",
        postcode="CF10 1AA",
        match_key="k" * 64,
    )
    RegisterEntry.objects.filter(pk=entry.pk).update(
        loaded_at=timezone.now() - timedelta(days=days_ago)
    )
    return entry


def feedback(comment, days_ago, rating=4) -> Feedback:
    return Feedback.objects.create(
        rating=rating,
        comment=comment,
        submitted_at=timezone.now() - timedelta(days=days_ago),
    )


def task_result(days_ago, finished=True) -> DBTaskResult:
    """A notification task's record, as the database backend keeps it."""
    result = send_notification.enqueue(application_id=1, kind="submitted")
    row = DBTaskResult.objects.get(pk=result.id)
    if finished:
        row.status = "SUCCESSFUL"
        row.finished_at = timezone.now() - timedelta(days=days_ago)
        row.save()
    return row


def purge(*args) -> str:
    out = StringIO()
    call_command("purge", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_counts_what_is_due_and_deletes_nothing():
    authority, _other = two_authorities()
    old = determined(authority, 31)
    with_evidence(old)
    determined(authority, 5)
    register_entry(authority, days_ago=61)
    feedback("My name is Siân Jones", days_ago=21)
    task_result(days_ago=11)
    output = purge("--dry-run")
    assert "Due for purging (nothing was deleted):" in output
    assert "  1 determined applications (kept 30 days)" in output
    assert "  1 evidence files\n" in output
    assert "  1 register entries not refreshed by their EMS (kept 60 days)" in output
    assert "  1 feedback comments (kept 20 days)" in output
    assert "  1 finished background task records (kept 10 days)" in output
    assert Application.objects.count() == 2
    assert EvidenceFile.objects.count() == 1
    assert RegisterEntry.objects.count() == 1
    assert Feedback.objects.get().comment == "My name is Siân Jones"
    assert DBTaskResult.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_purge_deletes_only_determined_applications_past_retention():
    authority, other = two_authorities()
    old_accepted = determined(authority, 31)
    old_rejected = determined(other, 400, Status.REJECTED)
    recent = determined(authority, 29)
    pending = create_application(authority, Status.DOWNLOADED)
    assert "  2 determined applications" in purge("--chunk-size", "1")
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
    assert "  1 determined applications" in purge()
    assert "  0 determined applications" in purge()


def test_an_older_row_without_a_determination_time_counts_from_its_last_change():
    authority, _other = two_authorities()
    application = create_application(authority, Status.REJECTED, determined_at=None)
    Application.objects.filter(pk=application.pk).update(
        updated_at=timezone.now() - timedelta(days=31)
    )
    purge()
    assert not Application.objects.exists()


def test_register_copies_not_refreshed_in_time_go_and_each_council_is_told():
    authority, other = two_authorities()
    register_entry(authority, 61, "E1")
    register_entry(authority, 90, "E2")
    fresh = register_entry(other, 59, "E1")
    assert "  2 register entries" in purge()
    assert list(RegisterEntry.objects.all()) == [fresh]
    audited = AuditEntry.objects.get(action="purge_register")
    assert audited.authority_id == authority.pk
    assert audited.detail == {"entries": 2, "retention_days": 60}
    assert audited.reference == ""


def test_register_purge_goes_in_chunks_each_audited():
    authority, _other = two_authorities()
    for number in range(3):
        register_entry(authority, 61, "E%d" % number)
    purge("--chunk-size", "2")
    assert not RegisterEntry.objects.exists()
    chunks = AuditEntry.objects.filter(action="purge_register").order_by("pk")
    assert [entry.detail["entries"] for entry in chunks] == [2, 1]


def test_old_feedback_comments_are_cleared_and_their_ratings_kept():
    old = feedback("Call me on 07700 900982", days_ago=21, rating=2)
    recent = feedback("Quick and clear", days_ago=19, rating=5)
    assert "  1 feedback comments" in purge()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.comment, old.rating) == ("", 2)
    assert (recent.comment, recent.rating) == ("Quick and clear", 5)


def test_finished_task_records_go_and_waiting_ones_stay():
    old = [task_result(days_ago=11 + n) for n in range(3)]
    recent = task_result(days_ago=9)
    waiting = task_result(days_ago=0, finished=False)
    assert "  3 finished background task records" in purge("--chunk-size", "2")
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert not remaining & {record.pk for record in old}
    assert remaining == {recent.pk, waiting.pk}


def test_expired_sessions_go():
    expired = SessionStore()
    expired["ero_search"] = "Jones"
    expired.set_expiry(-60)
    expired.create()
    live = SessionStore()
    live.create()
    assert "  1 expired sessions" in purge()
    assert set(Session.objects.values_list("session_key", flat=True)) == {
        live.session_key
    }


def test_every_run_is_audited_with_counts_and_no_personal_data():
    authority, _other = two_authorities()
    application = determined(authority, 31)
    register_entry(authority, 61)
    feedback("Siân Jones, 1 High Street", days_ago=21)
    purge()
    run = AuditEntry.objects.get(action="purge_run")
    assert run.authority_id is None
    assert run.actor == "system:retention"
    assert run.detail == {
        "purged": {
            "applications": 1,
            "evidence_files": 0,
            "register_entries": 1,
            "feedback_comments": 1,
            "task_results": 0,
            "sessions": 0,
            "orphan_evidence_files": 0,
        },
        "retention_days": {
            "applications": 30,
            "register_entries": 60,
            "feedback_comments": 20,
            "task_results": 10,
        },
    }
    written = " ".join(
        str(value)
        for entry in AuditEntry.objects.all()
        for value in (entry.actor, entry.action, entry.reference, entry.detail)
    )
    for personal in ("Siân", "Jones", "High Street", "1985", "CF10"):
        assert personal not in written
    assert application.reference in written  # the application's own audit row


def test_nothing_within_its_period_is_touched():
    authority, _other = two_authorities()
    application = determined(authority, 29)
    entry = register_entry(authority, 59)
    comment = feedback("Fine", days_ago=19)
    record = task_result(days_ago=9)
    purge()
    assert Application.objects.get() == application
    assert RegisterEntry.objects.get() == entry
    assert Feedback.objects.get(pk=comment.pk).comment == "Fine"
    assert DBTaskResult.objects.get() == record


def aged(path, days):
    then = time.time() - days * 86400
    os.utime(path, (then, then))
    return path


def test_evidence_files_no_row_names_go_once_a_day_old(settings):
    authority, _other = two_authorities()
    kept = with_evidence(determined(authority, 5))
    kept_path = aged(evidence._path(kept.stored_name), 3)
    orphan = evidence._path("ab" + "1" * 38)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"encrypted, from an upload that rolled back")
    aged(orphan, 2)
    in_progress = evidence._path("cd" + "2" * 38)
    in_progress.parent.mkdir(parents=True, exist_ok=True)
    in_progress.write_bytes(b"written a moment ago")
    stranger = settings.EVIDENCE_DIR / "ab" / "README"
    stranger.write_text("not ours to delete")
    aged(stranger, 2)
    assert "  1 evidence files on disk that no application names" in purge("--dry-run")
    assert orphan.exists()
    assert "  1 evidence files on disk that no application names" in purge()
    assert not orphan.exists()
    assert kept_path.exists() and in_progress.exists() and stranger.exists()
