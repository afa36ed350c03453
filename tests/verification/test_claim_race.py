"""Two workers claiming verification work at the same moment, each on a connection
of its own: every application is verified exactly once, with one result event, by
one worker, and no task is lost or done twice."""

import threading
from collections import Counter

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ier.identity.models import Person, SyntheticApplicant
from ier.registration.models import Application, ApplicationEvent, Status
from ier.verification.models import Verification
from ier.verification.synthetic import submit_cases
from ier.verification.tasks import QUEUE
from tests.races import at_once, committed, committed_applications, postgresql_only
from tests.verification.helpers import a_verifier, on_record, some_addresses

pytestmark = [pytest.mark.django_db, postgresql_only]
__all__ = ["committed_applications"]

APPLICATIONS = 60


def waiting_applications(count: int):
    def submitted():
        _people, cases = on_record(APPLICATIONS)
        return sorted(submit_cases(cases[:count], some_addresses()))

    return submitted


def forget_the_people():
    SyntheticApplicant.objects.all().delete()
    Person.objects.all().delete()


def test_two_workers_verify_each_application_once(committed_applications):
    try:
        made = committed(waiting_applications(APPLICATIONS))

        def worker(name):
            def work():
                verifier = a_verifier(worker=name, batch_size=4)
                taken = []
                while verifier.verify_next_batch():
                    taken.append(name)
                return len(taken)

            return work

        batches = at_once(worker("first-worker"), worker("second-worker"))
    finally:
        committed(forget_the_people)

    assert all(batches), "both workers took batches: they did race"
    assert Counter(
        Verification.objects.filter(application_id__in=made).values_list(
            "application_id", flat=True
        )
    ) == Counter(made), "one verification each"
    results = ApplicationEvent.objects.filter(
        application_id__in=made, event="verification"
    )
    assert sorted(results.values_list("application_id", flat=True)) == made
    claims = ApplicationEvent.objects.filter(application_id__in=made, event="verifying")
    assert sorted(claims.values_list("application_id", flat=True)) == made, (
        "each claimed once, by one worker"
    )
    for pk, actor in claims.values_list("application_id", "actor"):
        assert results.get(application_id=pk).actor == actor, "decided by its claimer"
    tasks = DBTaskResult.objects.filter(
        queue_name=QUEUE, args_kwargs__kwargs__application_id__in=made
    )
    assert list(tasks.values_list("status", flat=True)) == [
        TaskResultStatus.SUCCESSFUL
    ] * len(made)
    assert not ApplicationEvent.objects.filter(
        application_id__in=made,
        to_status=Status.SUBMITTED,
        from_status=Status.VERIFYING,
    ).exists(), "no claim was given up"


def test_a_task_whose_application_another_transaction_holds_stays_ready(
    committed_applications,
):
    """SKIP LOCKED passes over an application locked elsewhere (here a transaction
    holding its row, as a worker flagging a reused NINO does): its task must not be
    finished with the batch, or the application would never be verified."""
    try:
        made = committed(waiting_applications(3))
        held = made[0]
        locked, batch_done = threading.Event(), threading.Event()

        def hold():
            with transaction.atomic():
                Application.objects.select_for_update().get(pk=held)
                locked.set()
                assert batch_done.wait(60)

        def verify_a_batch():
            assert locked.wait(60)
            try:
                return a_verifier().verify_next_batch()
            finally:
                batch_done.set()

        _, taken = at_once(hold, verify_a_batch)
        assert taken == 2
        left = DBTaskResult.objects.filter(
            queue_name=QUEUE, status=TaskResultStatus.READY
        )
        assert [t.args_kwargs["kwargs"]["application_id"] for t in left] == [held]
        assert committed(lambda: a_verifier().verify_next_batch()) == 1
    finally:
        committed(forget_the_people)
    assert (
        sorted(
            Verification.objects.filter(application_id__in=made).values_list(
                "application_id", flat=True
            )
        )
        == made
    )
