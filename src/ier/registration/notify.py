"""An email backend that sends through GOV.UK Notify's HTTP API.

Set EMAIL_BACKEND (IER_EMAIL_BACKEND) to "ier.registration.notify.NotifyEmailBackend",
with NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID. The template in Notify holds only
((subject)) and ((body)): the words are ours, in the applicant's language.

Notify authenticates each request with a JSON Web Token signed (HS256) with the
secret half of the API key; the key is "{name}-{service id}-{secret}"."""

import base64
import hashlib
import hmac
import json
import logging
import time
from typing import Any

import httpx
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)

UUID_LENGTH = 36


class NotifyError(Exception):
    pass


def split_api_key(api_key: str) -> tuple[str, str]:
    """(service id, secret) from a Notify API key."""
    if len(api_key) < 2 * UUID_LENGTH + 2:
        raise NotifyError("NOTIFY_API_KEY is not a Notify API key")
    return (
        api_key[-2 * UUID_LENGTH - 1 : -UUID_LENGTH - 1],
        api_key[-UUID_LENGTH:],
    )


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def bearer_token(service_id: str, secret: str, now: float | None = None) -> str:
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    claims = {"iss": service_id, "iat": int(now if now is not None else time.time())}
    payload = _b64(json.dumps(claims).encode())
    signing_input = header + b"." + payload
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + _b64(signature)).decode()


class LogOnlyEmailBackend(BaseEmailBackend):
    """Sends nothing: logs that an email was not sent, with its subject and the
    number of recipients. Never the addresses, the body or its links (an evidence
    upload link works as a key), which Django's console backend would print."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            logger.warning(
                "email not sent: no email service is configured",
                extra={"subject": str(message.subject), "recipients": len(message.to)},
            )
        return 0


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.service_id, self.secret = split_api_key(settings.NOTIFY_API_KEY)
        self.template_id = settings.NOTIFY_TEMPLATE_ID
        self.base_url = settings.NOTIFY_BASE_URL.rstrip("/")
        self.client: httpx.Client | None = None

    def open(self) -> bool:
        if self.client is not None:
            return False
        self.client = httpx.Client(
            base_url=self.base_url, timeout=settings.NOTIFY_TIMEOUT_SECONDS
        )
        return True

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        opened = self.open()
        sent = 0
        try:
            for message in email_messages:
                sent += sum(self._send(message, to) for to in message.to)
        finally:
            if opened:
                self.close()
        return sent

    def _send(self, message, to: str) -> int:
        if self.client is None:
            self.open()
        body = {
            "email_address": to,
            "template_id": self.template_id,
            "personalisation": {"subject": message.subject, "body": message.body},
        }
        token = bearer_token(self.service_id, self.secret)
        try:
            response = self.client.post(  # type: ignore[union-attr]
                "/v2/notifications/email",
                json=body,
                headers={"Authorization": "Bearer %s" % token},
            )
        except httpx.HTTPError as error:
            return self._failed("request failed: %s" % type(error).__name__)
        if response.status_code != 201:
            return self._failed("status %d" % response.status_code)
        return 1

    def _failed(self, why: str) -> int:
        logger.warning("notify: email not accepted", extra={"why": why})
        if not self.fail_silently:
            raise NotifyError(why)
        return 0
