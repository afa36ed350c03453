"""What happens when an application is saved: queue its verification and check for
duplicates, inside the transaction that saves it (with no savepoint of their own:
see `ier.registration.signals`).

Neither may ever cost the citizen their application: if either fails, the
submission is saved again without that step's work, the failure is logged, and the
sweep queues the verification later."""

from ier.registration.models import Application
from ier.registration.signals import receiver_step
from ier.verification import duplicates
from ier.verification.tasks import queue_verification


def application_submitted(
    sender, application: Application, isolate_failures: bool = False, **kwargs
) -> None:
    receiver_step(
        application,
        isolate_failures,
        "could not queue verification; the sweep will",
        lambda: queue_verification(application.pk),
    )
    receiver_step(
        application,
        isolate_failures,
        "duplicate check failed",
        lambda: duplicates.check_at_submission(application),
    )
