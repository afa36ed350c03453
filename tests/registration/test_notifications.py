"""Emails to applicants: at submission and at each change of status they would
notice, in their language, queued with the application or after the change commits;
and the GOV.UK Notify backend."""

import hashlib
import hmac
import json
import threading
from base64 import urlsafe_b64decode
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django_tasks_db.models import DBTaskResult

from ier.registration import lifecycle
from ier.registration.models import Application, Status
from ier.registration.notifications import send_notification
from ier.registration.notify import NotifyEmailBackend, NotifyError, bearer_token
from ier.verification import intake
from tests.api.factories import (
    bearer,
    create_application,
    create_token,
    two_authorities,
)
from tests.citizen.helpers import ordinary_answers, submit

pytestmark = pytest.mark.django_db

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"


def queued_notifications() -> list[dict]:
    rows = DBTaskResult.objects.filter(task_path__endswith="send_notification")
    return [row.args_kwargs["kwargs"] for row in rows.order_by("enqueued_at")]


def send_queued() -> None:
    for kwargs in queued_notifications():
        send_notification.call(**kwargs)


def apply(client, prefix="", **answers) -> Application:
    submit(client, ordinary_answers(**answers), prefix=prefix)
    return Application.objects.get()


def test_a_confirmation_is_queued_with_the_application_and_sent(
    client, django_capture_on_commit_callbacks
):
    """Queued in the transaction that saves the application: nothing waits for the
    commit to queue it."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application = apply(client)
    assert callbacks == []
    assert queued_notifications() == [
        {"application_id": application.pk, "kind": "submitted"}
    ]
    send_queued()
    [email] = mail.outbox
    assert email.to == ["sian@example.com"]
    assert email.subject == "We have received your application to register to vote"
    reference = application.reference
    assert "%s %s" % (reference[:5], reference[5:]) in email.body
    assert application.authority.name in email.body
    assert "http://127.0.0.1:8000/status/" in email.body
    assert "&#" not in email.body  # plain text, not HTML-escaped


def test_a_submission_saved_again_after_a_failing_step_queues_one_confirmation(
    client, monkeypatch
):
    """The first attempt's queued email is rolled back with it."""

    def broken(application):
        raise RuntimeError("bug")

    monkeypatch.setattr(intake.duplicates, "check_at_submission", broken)
    application = apply(client)
    assert queued_notifications() == [
        {"application_id": application.pk, "kind": "submitted"}
    ]


def test_no_email_is_queued_without_an_address(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, contact={"email": "", "phone": ""})
    assert queued_notifications() == []


def test_welsh_applicants_get_welsh_emails(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(client, prefix="/cy")
    send_queued()
    [email] = mail.outbox
    assert application.language == "cy"
    assert email.subject == "Rydym wedi cael eich cais i gofrestru i bleidleisio"
    assert "Annwyl Siân," in email.body
    assert "/cy/status/" in email.body


@pytest.mark.parametrize(
    ("path", "emailed"),
    [
        ([Status.VERIFIED], []),
        ([Status.VERIFIED, Status.DOWNLOADED], ["council"]),
        (
            [Status.NOT_VERIFIED, Status.DOWNLOADED, Status.EVIDENCE_REQUESTED],
            ["council", "evidence"],
        ),
        (
            [Status.PARTIAL, Status.DOWNLOADED, Status.ACCEPTED],
            ["council", "registered"],
        ),
        (
            [Status.VERIFIED, Status.DOWNLOADED, Status.REJECTED],
            ["council", "not-registered"],
        ),
    ],
)
def test_each_change_the_applicant_would_notice_is_emailed(
    client, django_capture_on_commit_callbacks, path, emailed
):
    application = apply(client)
    with django_capture_on_commit_callbacks(execute=True):
        for status in path:
            lifecycle.transition(application, status, actor="test")
    kinds = [kwargs["kind"] for kwargs in queued_notifications()]
    assert kinds == ["submitted", *emailed]
    send_queued()
    assert len(mail.outbox) == 1 + len(emailed)


def test_a_registered_email_says_so_in_the_applicants_language(client):
    application = apply(client, prefix="/cy")
    send_notification.call(application_id=application.pk, kind="registered")
    assert mail.outbox[0].subject == "Rydych wedi'ch cofrestru i bleidleisio"


class NotifyStub(BaseHTTPRequestHandler):
    """Records what it is sent and answers as Notify does (201), or with the status
    the test sets."""

    received: list = []
    status = 201

    def do_POST(self):  # the name http.server calls
        length = int(self.headers["Content-Length"])
        NotifyStub.received.append(
            {
                "path": self.path,
                "authorization": self.headers["Authorization"],
                "json": json.loads(self.rfile.read(length)),
            }
        )
        self.send_response(NotifyStub.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "740e5834-3a29-46b4-9a6f-16142fde533a"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def notify_stub(settings):
    server = HTTPServer(("127.0.0.1", 0), NotifyStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    NotifyStub.received = []
    NotifyStub.status = 201
    settings.NOTIFY_BASE_URL = "http://127.0.0.1:%d" % server.server_port
    settings.NOTIFY_API_KEY = "ier_test-%s-%s" % (SERVICE_ID, SECRET)
    settings.NOTIFY_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    yield NotifyStub
    server.shutdown()
    server.server_close()


def decode(part: str) -> dict:
    return json.loads(urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_the_notify_backend_posts_a_signed_request(notify_stub):
    message = EmailMessage(
        "Subject line", "Body text", "x@example.com", ["a@example.com"]
    )
    assert NotifyEmailBackend().send_messages([message]) == 1
    [request] = notify_stub.received
    assert request["path"] == "/v2/notifications/email"
    assert request["json"] == {
        "email_address": "a@example.com",
        "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
        "personalisation": {"subject": "Subject line", "body": "Body text"},
    }
    scheme, token = request["authorization"].split(" ")
    header, claims, signature = token.split(".")
    assert scheme == "Bearer"
    assert decode(header) == {"typ": "JWT", "alg": "HS256"}
    assert decode(claims)["iss"] == SERVICE_ID
    expected = hmac.new(
        SECRET.encode(), ("%s.%s" % (header, claims)).encode(), hashlib.sha256
    ).digest()
    assert urlsafe_b64decode(signature + "=" * (-len(signature) % 4)) == expected


def test_a_refusal_from_notify_is_an_error_unless_told_to_fail_silently(notify_stub):
    notify_stub.status = 400
    message = EmailMessage("S", "B", "x@example.com", ["a@example.com"])
    with pytest.raises(NotifyError):
        NotifyEmailBackend().send_messages([message])
    assert NotifyEmailBackend(fail_silently=True).send_messages([message]) == 0


def test_the_token_carries_the_time_it_was_made():
    token = bearer_token(SERVICE_ID, SECRET, now=1_700_000_000)
    assert decode(token.split(".")[1]) == {"iss": SERVICE_ID, "iat": 1_700_000_000}


def test_a_malformed_api_key_is_refused(settings):
    settings.NOTIFY_API_KEY = "not-a-key"
    with pytest.raises(NotifyError):
        NotifyEmailBackend()


def test_an_ems_acknowledgement_emails_each_application_with_your_council(
    client, django_capture_on_commit_callbacks
):
    """docs/notifications.md: reaching the council (`downloaded`) is emailed, and an
    EMS acknowledges in a batch, through the API."""
    authority, _other = two_authorities()
    secret = create_token(authority)
    applications = [create_application(authority) for _n in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/acknowledgements",
            {"references": [a.reference for a in applications]},
            content_type="application/json",
            **bearer(secret),
        )
    assert len(response.json()["acknowledged"]) == 4
    assert queued_notifications() == [
        {"application_id": a.pk, "kind": "council"} for a in applications
    ]
    send_queued()
    subjects = {email.subject for email in mail.outbox}
    assert subjects == {"Your application to register to vote is with your council"}
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        a.email for a in applications
    )
