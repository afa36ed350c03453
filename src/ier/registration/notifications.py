"""Emails to the applicant: one when the application is sent, and one at each change
of status they would notice, in the language they applied in.

Each email is queued as a background task: the confirmation in the transaction that
saves the application, each later one once the transaction that caused it has
committed. Either way a rolled-back change sends nothing, and a slow email provider
never holds up a page. Sending uses Django's email backend: the console in the
demo, GOV.UK Notify in production (ier.registration.notify)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from ier.core.queue import enqueue as queue_task
from ier.registration import references
from ier.registration.lifecycle import CITIZEN_STAGES
from ier.registration.models import Application, ApplicationEvent
from ier.registration.signals import application_submitted, receiver_step

logger = logging.getLogger(__name__)

SUBMITTED = "submitted"
# "Being checked" follows submission within seconds, so it is not worth an email.
STAGES_EMAILED = {"council", "evidence", "registered", "not-registered"}
SUBJECTS = {
    SUBMITTED: _("We have received your application to register to vote"),
    "council": _("Your application to register to vote is with your council"),
    "evidence": _("Your council needs more evidence to register you to vote"),
    "registered": _("You are registered to vote"),
    "not-registered": _("Your application to register to vote"),
}


def stage_of(status: str) -> str:
    stages = {str(key): stage for key, (stage, _label) in CITIZEN_STAGES.items()}
    return stages.get(status, "")


def email_for_event(event: ApplicationEvent) -> str | None:
    """The email an event calls for: its new stage, if the applicant would notice."""
    if not event.from_status or event.from_status == event.to_status:
        return None
    stage = stage_of(event.to_status)
    if stage in STAGES_EMAILED and stage != stage_of(event.from_status):
        return stage
    return None


@task()
def send_notification(application_id: int, kind: str) -> bool:
    """Send one email; False when there is no one to send it to."""
    application = (
        Application.objects.select_related("authority")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not application.email:
        return False
    message = build_message(application, kind)
    message.send()
    logger.info(
        "notification sent", extra={"kind": kind, "application": application_id}
    )
    return True


def build_message(application: Application, kind: str) -> EmailMessage:
    with translation.override(application.language or "en"):
        context = {
            "kind": kind,
            "first_name": application.first_name,
            "reference": references.display_reference(application.reference),
            "council": application.authority.display_name,
            "contact": application.authority.contact,
            "status_url": settings.SERVICE_URL.rstrip("/") + reverse("status:lookup"),
            "journey": application.journey,
        }
        body = render_to_string("registration/email/notification.txt", context)
        subject = str(SUBJECTS[kind])
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [application.email])


def queue(application_id: int, kind: str) -> None:
    transaction.on_commit(
        lambda: send_notification.enqueue(application_id=application_id, kind=kind)
    )


@receiver(application_submitted, dispatch_uid="notify-submitted")
def on_submitted(
    sender, application: Application, isolate_failures: bool = False, **kwargs
) -> None:
    # Queued in the submission's own transaction (the task is a row in the same
    # database), not after it: one commit, and a rolled-back submission queues none.
    if application.email:
        receiver_step(
            application,
            isolate_failures,
            "could not queue the confirmation email",
            lambda: queue_task(
                send_notification, application_id=application.pk, kind=SUBMITTED
            ),
        )


@receiver(post_save, sender=ApplicationEvent, dispatch_uid="notify-status")
def on_event(sender, instance: ApplicationEvent, created: bool, **kwargs) -> None:
    kind = email_for_event(instance) if created else None
    if kind:
        queue(instance.application.pk, kind)
