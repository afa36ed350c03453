import datetime

import httpx
import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ier.identity.service import Faults
from ier.registration.models import Application, ApplicationEvent, Status
from ier.verification import pipeline
from ier.verification.client import IdentityClient, IdentityServiceUnavailable
from ier.verification.models import Verification
from ier.verification.resilience import CircuitBreaker
from ier.verification.sweep import Sweeper
from ier.verification.synthetic import submit_cases
from ier.verification.tasks import QUEUE, verify_application
from tests.verification.helpers import (
    a_verifier,
    drain,
    identity_transport,
    on_record,
    some_addresses,
)

pytestmark = pytest.mark.django_db


def submitted(count: int = 10, variation: str = "exact"):
    """`count` applications of one kind of applicant, submitted and queued."""
    _people, cases = on_record(120)
    chosen = [case for case in cases if case.variation == variation][:count]
    assert len(chosen) == count
    return submit_cases(chosen, some_addresses())


def verification_tasks(status=None):
    tasks = DBTaskResult.objects.filter(queue_name=QUEUE)
    return tasks.filter(status=status) if status else tasks


def test_submitting_queues_one_verification_task_in_the_same_transaction():
    made = submitted(3)
    queued = verification_tasks(TaskResultStatus.READY)
    assert sorted(t.args_kwargs["kwargs"]["application_id"] for t in queued) == sorted(
        made
    )


def test_a_batch_moves_each_application_through_verifying_to_its_result():
    made = submitted(5)
    drain(a_verifier())
    for pk in made:
        events = list(
            ApplicationEvent.objects.filter(application_id=pk).values_list(
                "from_status", "to_status", "actor"
            )
        )
        assert events == [
            ("", Status.SUBMITTED, "citizen"),
            (Status.SUBMITTED, Status.VERIFYING, "test-worker"),
            (Status.VERIFYING, Status.VERIFIED, "test-worker"),
        ]
    assert set(verification_tasks().values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


def test_the_result_event_carries_the_reasons():
    made = submitted(1, "typo_first")
    drain(a_verifier())
    event = ApplicationEvent.objects.get(
        application_id=next(iter(made)), event="verification"
    )
    assert event.detail["result"] == Status.PARTIAL
    assert "first_name:fuzzy" in event.detail["reasons"]
    verification = Verification.objects.get(application_id=next(iter(made)))
    assert {"check": "date_of_birth", "outcome": "match"} in verification.checks


def test_applications_without_a_nino_go_to_the_officer_without_a_call():
    made = submitted(2, "no_nino")
    calls = []

    def refuse(request):
        calls.append(request)
        return httpx.Response(500)

    drain(a_verifier(httpx.MockTransport(refuse)))
    assert calls == []
    assert set(
        Application.objects.filter(pk__in=made).values_list("status", flat=True)
    ) == {Status.NO_NINO}


def test_a_second_claim_finds_nothing_while_the_first_holds_the_applications():
    submitted(4)
    first = pipeline.claim_batch("worker-a", 10)
    assert len(first.rows) == 4
    assert pipeline.claim_batch("worker-b", 10) is None


def test_a_task_for_a_verified_application_does_not_verify_it_again():
    made = submitted(2)
    drain(a_verifier())
    for pk in made:
        pipeline.queue_verification(pk)
    drain(a_verifier())
    assert Verification.objects.filter(application_id__in=made).count() == 2


def test_a_claim_taken_over_by_the_sweep_cannot_be_recorded_by_its_first_worker():
    """Worker A claims and stalls; the sweep gives its claim up and worker B claims
    the applications again. When A finally answers, nothing it writes lands, even
    though the applications are `verifying` again: one verification, B's."""
    made = submitted(3)
    stalled = pipeline.claim_batch("worker-a", 10)
    Application.objects.filter(pk__in=made).update(
        updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with override_settings(VERIFICATION_STUCK_SECONDS=60):
        assert Sweeper().sweep().reclaimed == 3
    second = pipeline.claim_batch("worker-b", 10)
    assert sorted(second.ids) == sorted(made)
    verified = {pk: pipeline.outcomes.Outcome(Status.VERIFIED) for pk in made}
    assert pipeline.record(stalled, verified) == 0
    assert pipeline.record(second, verified) == 3
    assert set(Verification.objects.values_list("worker", flat=True)) == {"worker-b"}
    assert Verification.objects.filter(application_id__in=made).count() == 3


@override_settings(
    VERIFICATION_REQUEUE_BASE_SECONDS=30, VERIFICATION_REQUEUE_MAX_SECONDS=60
)
def test_when_the_service_fails_the_batch_is_released_and_queued_again_later():
    made = submitted(3)
    verifier = a_verifier(identity_transport(Faults(unavailable=True)))
    assert verifier.verify_next_batch() == 3
    assert set(
        Application.objects.filter(pk__in=made).values_list("status", flat=True)
    ) == {Status.SUBMITTED}
    assert verification_tasks(TaskResultStatus.FAILED).count() == 3
    retries = verification_tasks(TaskResultStatus.READY)
    assert {t.args_kwargs["kwargs"]["attempt"] for t in retries} == {2}
    soonest = min(t.run_after for t in retries)
    assert soonest >= timezone.now() + datetime.timedelta(seconds=14)
    assert ApplicationEvent.objects.filter(event="verification_deferred").count() == 3
    assert Verification.objects.count() == 0


def test_a_flaky_service_is_retried_within_the_batch():
    made = submitted(4)
    answers = iter([httpx.Response(503), httpx.Response(502)])
    real = identity_transport()

    def sometimes(request):
        return next(answers, None) or real.handle_request(request)

    drain(a_verifier(httpx.MockTransport(sometimes)))
    assert Verification.objects.filter(application_id__in=made).count() == 4


def test_the_breaker_opens_after_repeated_failures_and_stops_claiming():
    submitted(4)
    calls = []

    def down(request):
        calls.append(request)
        raise httpx.ConnectError("refused")

    breaker = CircuitBreaker(failures_to_open=2, cooldown=60, max_cooldown=60)
    verifier = a_verifier(httpx.MockTransport(down), batch_size=1, breaker=breaker)
    with override_settings(VERIFICATION_REQUEUE_BASE_SECONDS=0.0001):
        verifier.verify_next_batch()
        verifier.verify_next_batch()
        before = len(calls)
        assert verifier.verify_next_batch() == 0
    assert breaker.state == CircuitBreaker.OPEN
    assert len(calls) == before


def test_reading_the_answers_checks_they_belong_to_the_requests():
    submitted(2)

    def wrong_ids(request):
        return httpx.Response(200, json={"results": [{"id": "999"}, {"id": "998"}]})

    verifier = a_verifier(httpx.MockTransport(wrong_ids))
    verifier.verify_next_batch()
    assert Verification.objects.count() == 0
    assert Application.objects.filter(status=Status.SUBMITTED).count() == 2


@override_settings(NINO_REUSE_THRESHOLD=3)
def test_the_same_nino_on_several_applications_flags_them_all_dark_red():
    made = submitted(1)
    case = next(iter(made.values()))
    submit_cases([case, case], some_addresses())
    drain(a_verifier())
    flagged = Application.objects.filter(nino_reused=True)
    assert flagged.count() == 3
    assert ApplicationEvent.objects.filter(event="nino_reused").count() == 3
    checks = Verification.objects.values_list("checks", flat=True)
    assert all(
        any(c["check"] == "nino_reuse" and c["count"] == 3 for c in cs) for cs in checks
    )


@override_settings(NINO_REUSE_THRESHOLD=3)
def test_two_applications_with_one_nino_are_not_dark_red():
    made = submitted(1)
    submit_cases(list(made.values()), some_addresses())
    drain(a_verifier())
    assert not Application.objects.filter(nino_reused=True).exists()


def test_the_task_verifies_its_application_when_run_on_its_own(monkeypatch):
    made = submitted(1)
    pk = next(iter(made))
    transport = identity_transport()

    def in_process_client(**kwargs):
        return IdentityClient(base_url="http://identity.test", transport=transport)

    monkeypatch.setattr(pipeline, "IdentityClient", in_process_client)
    assert verify_application.call(application_id=pk) == Status.VERIFIED
    assert verify_application.call(application_id=pk) == "nothing to do"
    assert Verification.objects.filter(application_id=pk).count() == 1


def test_the_client_reports_an_unreachable_service_as_unavailable():
    def refused(request):
        raise httpx.ConnectError("refused")

    client = IdentityClient(
        base_url="http://identity.test", transport=httpx.MockTransport(refused)
    )
    with pytest.raises(IdentityServiceUnavailable):
        client.match_batch([{"id": "1", "nino": "AB123456C"}])
