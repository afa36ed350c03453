"""The applicant's correction link (issue 20): an officer chooses which details the
applicant should correct; the applicant is emailed a link, holding only a random
token, that works once, for CORRECTION_LINK_DAYS, and shows only those details."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from ier.core import ratelimit
from ier.core.paths import service_link
from ier.ero import links
from ier.ero.links import token_hash
from ier.ero.models import CorrectionRequest
from ier.registration import corrections
from ier.registration.models import Application


def open_request(token: str) -> CorrectionRequest | None:
    """The request this link belongs to, if it is still usable."""
    return links.open_request(CorrectionRequest, token, "application", "authority")


def locked_request(request_id: int) -> CorrectionRequest | None:
    """The request, locked until the transaction ends, if its link is still open."""
    return links.locked_request(CorrectionRequest, request_id)


def may_try_again(request: CorrectionRequest) -> bool:
    """Counts one try on the link, so a mistake can be put right, but not without
    end."""
    return ratelimit.hit(
        "correction-link",
        request.token_hash,
        settings.CORRECTION_ATTEMPTS,
        settings.CORRECTION_LINK_DAYS * 86400,
    )


@transaction.atomic
def create_request(
    application: Application, groups: list[str], message: str, officer_name: str
) -> CorrectionRequest:
    """Record the request and email the applicant the link, in their language; the
    email names no detail of theirs."""
    token = secrets.token_urlsafe(32)
    request = CorrectionRequest.objects.create(
        application=application,
        authority_id=application.authority_id,
        token_hash=token_hash(token),
        groups=groups,
        message=message,
        requested_by=officer_name,
        expires_at=timezone.now() + timedelta(days=settings.CORRECTION_LINK_DAYS),
    )
    link = service_link(reverse("correction:correct", args=[token]))
    with translation.override(application.language or "en"):
        subject, body = corrections.link_email(
            message, settings.CORRECTION_LINK_DAYS, link
        )
    transaction.on_commit(lambda: send_mail(subject, body, None, [application.email]))
    return request
