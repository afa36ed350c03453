"""The background task queued for every application, in the transaction that saves it.

`ier worker` claims these tasks hundreds at a time and verifies their applications in
one request to the identity service (see pipeline.py). The task still does the whole
job on its own, so any worker that runs tasks one at a time gets the same result."""

from django_tasks import task

from ier.registration import store

QUEUE = "verification"


@task(queue_name=QUEUE)
def verify_application(application_id: int, attempt: int = 1) -> str:
    from ier.verification.pipeline import verify_one

    return verify_one(application_id, attempt)


def queue_verification(application_id: int, attempt: int = 1, run_after=None) -> None:
    job = (
        verify_application.using(run_after=run_after)
        if run_after
        else verify_application
    )
    store.queue_tasks(job, [{"application_id": application_id, "attempt": attempt}])
