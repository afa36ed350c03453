"""What happens when an application is saved: queue its verification and check for
duplicates, inside the transaction that saves it.

Neither may ever cost the citizen their application: if either fails, the failure is
logged and the application is saved anyway (the sweep queues it later)."""

import logging

from django.db import transaction

from ier.registration.models import Application
from ier.verification import duplicates
from ier.verification.tasks import queue_verification

logger = logging.getLogger(__name__)


def application_submitted(sender, application: Application, **kwargs) -> None:
    try:
        with transaction.atomic():
            queue_verification(application.pk)
    except Exception:
        logger.exception(
            "could not queue verification; the sweep will",
            extra={"application": application.pk},
        )
    try:
        with transaction.atomic():
            duplicates.check_at_submission(application)
    except Exception:
        logger.exception(
            "duplicate check failed", extra={"application": application.pk}
        )
