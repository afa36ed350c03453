"""Emails to the applicant: one when the application is sent, and one at each change
of stage they would notice, in the language they applied in.

Nothing here listens for anything: the submission calls `queue_confirmation`, and
the life cycle, which records every change of status, calls `queue_for` with the
changes of stage the applicant sees (`ier.registration.lifecycle`). Each email is
queued as a background task: the confirmation in the transaction that saves the
application, each later one once the transaction that caused it has committed.
Either way a rolled-back change sends nothing, and a slow email provider never
holds up a page. Sending uses Django's email backend: the console in the
demo, GOV.UK Notify in production (ier.registration.notify)."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from ier.registration import references, store
from ier.registration.models import Application

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
            "application": application,
        }
        body = render_to_string("registration/email/notification.txt", context)
        subject = str(SUBJECTS[kind])
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [application.email])


def queue_confirmation(application: Application) -> None:
    """Queue the confirmation in the caller's transaction."""
    store.queue_tasks(
        send_notification, [{"application_id": application.pk, "kind": SUBMITTED}]
    )


def queue_confirmations(applications: Iterable[Application]) -> None:
    """`queue_confirmation` for a batch saved together, in one INSERT: each
    applicant who gave an email address."""
    calls = [
        {"application_id": application.pk, "kind": SUBMITTED}
        for application in applications
        if application.email
    ]
    if calls:
        store.queue_tasks(send_notification, calls)


def queue_for(changes: Iterable[tuple[int, str]]) -> None:
    """Queue, once the transaction commits, the email for each change of stage
    the applicant sees, as (application id, stage reached), that calls for one."""
    calls = [
        {"application_id": pk, "kind": stage}
        for pk, stage in changes
        if stage in STAGES_EMAILED
    ]
    if calls:
        transaction.on_commit(lambda: store.queue_tasks(send_notification, calls))
