"""Every path that changes an application's status records an event for each change
and queues, once it commits, the email each change calls for: one transition, a
verification batch, an EMS acknowledgement, an officer's or an EMS's decision; and a
purge removes the events with the application and emails no one. The same tests run
on SQLite and PostgreSQL (where a batch's events go by COPY and a submission's in
one round trip)."""

import threading

import pytest
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone

from ier.geography.models import Authority
from ier.ops import retention
from ier.registration import handover, lifecycle, notifications
from ier.registration.models import Application, ApplicationEvent, Status
from ier.verification.synthetic import application_for, submit
from tests.api.factories import (
    bearer,
    create_application,
    create_officer,
    create_token,
    two_authorities,
)
from tests.ero.conftest import sign_in
from tests.races import postgresql_only
from tests.registration.test_notifications import queued_notifications, send_queued
from tests.verification.helpers import a_verifier, drain, on_record, some_addresses

pytestmark = pytest.mark.django_db

WITH_YOUR_COUNCIL = "Your application to register to vote is with your council"


def moves(application: Application) -> list[tuple[str, str]]:
    events = ApplicationEvent.objects.filter(application=application).order_by("pk")
    return [(e.from_status, e.to_status) for e in events]


def kinds() -> list[tuple[int, str]]:
    return sorted((q["application_id"], q["kind"]) for q in queued_notifications())


@pytest.fixture
def authority(db):
    return two_authorities()[0]


def submitted_with_email(count: int) -> list[Application]:
    """Applications saved as the journey saves them, each with an email address."""
    _people, cases = on_record(40)
    addresses = some_addresses()
    made = []
    for n, case in enumerate(cases[:count]):
        application = application_for(case, addresses[n % len(addresses)])
        application.email = "applicant%d@example.com" % n
        made.append(submit(application))
    return made


def test_one_transition_records_its_event_and_emails_on_commit(
    authority, django_capture_on_commit_callbacks
):
    application = create_application(authority, Status.VERIFIED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lifecycle.transition(application, Status.DOWNLOADED, actor="test")
    assert queued_notifications() == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert kinds() == [(application.pk, "council")]
    assert moves(application)[-1] == (Status.VERIFIED, Status.DOWNLOADED)


def test_a_rolled_back_transition_emails_no_one(
    authority, django_capture_on_commit_callbacks
):
    application = create_application(authority, Status.VERIFIED)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        lifecycle.transition(application, Status.DOWNLOADED, actor="test")
        raise RuntimeError("rolled back")
    assert kinds() == []
    assert Status.DOWNLOADED not in [to for _from, to in moves(application)]


def test_a_verification_batch_records_each_outcome_and_hands_it_to_the_emails(
    monkeypatch, django_capture_on_commit_callbacks
):
    """Being checked is not emailed; with it emailed, a batch queues one each."""
    made = submitted_with_email(4)
    assert kinds() == sorted((a.pk, "submitted") for a in made)
    monkeypatch.setattr(
        notifications, "STAGES_EMAILED", {*notifications.STAGES_EMAILED, "checking"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        drain(a_verifier())
    for application in made:
        application.refresh_from_db()
        [(first, verifying, outcome)] = [moves(application)]
        assert first == ("", Status.SUBMITTED)
        assert verifying == (Status.SUBMITTED, Status.VERIFYING)
        assert outcome == (Status.VERIFYING, application.status)
    emailed = sorted((a.pk, "checking") for a in made)
    assert kinds() == sorted([*emailed, *((a.pk, "submitted") for a in made)])


def test_a_verified_batch_acknowledged_by_the_ems_is_emailed_once_each(
    client, django_capture_on_commit_callbacks
):
    """From the journey to the council: confirmation, then "with your council"."""
    made = submitted_with_email(3)
    drain(a_verifier())
    authority = made[0].authority
    mine = [a for a in made if a.authority_id == authority.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/acknowledgements",
            {"references": [a.reference for a in mine]},
            content_type="application/json",
            **bearer(create_token(authority)),
        )
    assert sorted(response.json()["acknowledged"]) == sorted(a.reference for a in mine)
    council = sorted((a.pk, "council") for a in mine)
    assert [k for k in kinds() if k[1] == "council"] == council
    for application in mine:
        assert moves(application)[-1][1] == Status.DOWNLOADED
    send_queued()
    assert sum(email.subject == WITH_YOUR_COUNCIL for email in mail.outbox) == len(mine)


def test_a_repeated_acknowledgement_emails_no_one_again(
    authority, django_capture_on_commit_callbacks
):
    application = create_application(authority, Status.PARTIAL)
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            handover.acknowledge(authority, [application.reference], "ems")
    assert kinds() == [(application.pk, "council")]
    assert [to for _from, to in moves(application)].count(Status.DOWNLOADED) == 1


def test_an_officers_decision_is_recorded_and_emailed(
    client, authority, django_capture_on_commit_callbacks
):
    application = create_application(
        authority, Status.DOWNLOADED, downloaded_at=timezone.now()
    )
    officer_client = sign_in(client, create_officer(authority))
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            "/ero/applications/%s/determination/" % application.reference,
            {
                "outcome": "accepted",
                "decided_on-day": today.day,
                "decided_on-month": today.month,
                "decided_on-year": today.year,
                "reason": "",
            },
        )
    assert response.status_code == 302
    assert moves(application)[-1] == (Status.DOWNLOADED, Status.ACCEPTED)
    assert kinds() == [(application.pk, "registered")]
    send_queued()
    assert [email.subject for email in mail.outbox] == ["You are registered to vote"]


def test_an_ems_decision_is_recorded_and_emailed(
    client, authority, django_capture_on_commit_callbacks
):
    application = create_application(
        authority, Status.DOWNLOADED, downloaded_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/applications/%s/determination" % application.reference,
            {"outcome": "evidence_requested", "date": str(timezone.localdate())},
            content_type="application/json",
            **bearer(create_token(authority)),
        )
    assert response.status_code == 200, response.content
    assert moves(application)[-1] == (Status.DOWNLOADED, Status.EVIDENCE_REQUESTED)
    assert kinds() == [(application.pk, "evidence")]


def test_a_purge_removes_the_events_and_emails_no_one(
    authority, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timezone.timedelta(days=4000)
    application = create_application(authority, Status.REJECTED, determined_at=long_ago)
    kept = create_application(authority, Status.VERIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        retention.purge()
    assert not ApplicationEvent.objects.filter(application_id=application.pk).exists()
    assert moves(kept) != []
    assert kinds() == []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_acknowledgements_at_once_email_each_applicant_once():
    """Two EMS requests for the same batch, from two connections at the same moment:
    one moves each application and queues its email, the other finds it done."""
    # A test of its own database: the seeded councils may be gone (flushed by an
    # earlier test that, like this one, commits for real).
    authority, _new = Authority.objects.get_or_create(
        gss_code="E99999999", defaults={"name": "Raceshire", "nation": "England"}
    )
    applications = [create_application(authority) for _n in range(3)]
    references = [a.reference for a in applications]
    start = threading.Barrier(2)
    answers, errors = [], []

    def acknowledge():
        try:
            start.wait()
            answers.append(handover.acknowledge(authority, references, "ems"))
        except Exception as error:  # handed to the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=acknowledge) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(len(answer["acknowledged"]) for answer in answers) == [0, 3]
    assert kinds() == sorted((a.pk, "council") for a in applications)
    for application in applications:
        assert [to for _from, to in moves(application)].count(Status.DOWNLOADED) == 1
