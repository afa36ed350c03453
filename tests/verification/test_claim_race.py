"""Two workers claiming verification work at the same moment, each on a connection
of its own: every application is verified exactly once, with one result event, by
one worker, and no task is lost or done twice."""

from collections import Counter

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ier.identity.models import Person, SyntheticApplicant
from ier.registration.models import ApplicationEvent, Status
from ier.verification.models import Verification
from ier.verification.synthetic import submit_cases
from ier.verification.tasks import QUEUE
from tests.races import at_once, committed, committed_applications, postgresql_only
from tests.verification.helpers import a_verifier, on_record, some_addresses

pytestmark = [pytest.mark.django_db, postgresql_only]
__all__ = ["committed_applications"]

APPLICATIONS = 60


def test_two_workers_verify_each_application_once(committed_applications):
    def waiting_applications():
        _people, cases = on_record(APPLICATIONS)
        return sorted(submit_cases(cases[:APPLICATIONS], some_addresses()))

    try:
        made = committed(waiting_applications)

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

        def forget_the_people():
            SyntheticApplicant.objects.all().delete()
            Person.objects.all().delete()

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
        application_id__in=made, to_status=Status.SUBMITTED, from_status=Status.VERIFYING
    ).exists(), "no claim was given up"
