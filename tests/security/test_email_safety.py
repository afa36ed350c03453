"""Emails hold links that work as keys (an evidence upload link) and the applicant's
address: they go to an email service, never into the logs."""

import logging
import os
import re
import subprocess
import sys

import pytest
from django.utils import timezone

from ier.config.settings import base
from ier.registration.models import Status
from tests.api.factories import create_application
from tests.security.conftest import PRODUCTION_SECRETS

PROBE = "import django; django.setup(); from django.conf import settings; "
PROBE += "print(settings.EMAIL_BACKEND)"


def load_production(**extra):
    environment = {
        "PATH": os.environ["PATH"],
        **PRODUCTION_SECRETS,
        "DATABASE_URL": "postgres://ier@127.0.0.1:5432/ier",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_does_not_start_with_a_backend_that_does_not_send(tmp_path):
    refused = load_production(IER_VAR_DIR=str(tmp_path))
    assert refused.returncode != 0
    assert "IER_EMAIL_BACKEND must send emails in production" in refused.stderr
    for backend in (
        "django.core.mail.backends.console.EmailBackend",
        "ier.registration.notify.LogOnlyEmailBackend",
    ):
        chosen = load_production(IER_VAR_DIR=str(tmp_path), IER_EMAIL_BACKEND=backend)
        assert chosen.returncode != 0, backend


def test_production_starts_with_notify_or_when_told_to(tmp_path):
    notify = load_production(
        IER_VAR_DIR=str(tmp_path),
        IER_EMAIL_BACKEND="ier.registration.notify.NotifyEmailBackend",
    )
    assert notify.returncode == 0, notify.stderr
    told = load_production(IER_VAR_DIR=str(tmp_path), IER_EMAIL_UNSENT_ALLOWED="true")
    assert told.returncode == 0, told.stderr
    assert told.stdout.strip() == "ier.registration.notify.LogOnlyEmailBackend"


@pytest.mark.django_db
def test_an_unsent_email_is_logged_without_its_address_body_or_link(
    client, settings, caplog, capsys, django_capture_on_commit_callbacks
):
    """The default backend, outside tests, on the real path: an officer asks an
    applicant for evidence."""
    from tests.api.factories import create_officer, two_authorities
    from tests.ero.conftest import sign_in

    settings.EMAIL_BACKEND = base.EMAIL_BACKEND
    authority = two_authorities()[0]
    app = create_application(authority, Status.DOWNLOADED, downloaded_at=timezone.now())
    officer = sign_in(client, create_officer(authority))
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(
            "/ero/applications/%s/evidence-request/" % app.reference,
            {"message": "Send a photo of your passport"},
        )
    printed = capsys.readouterr()
    logged = "\n".join(
        [printed.out, printed.err]
        + [record.getMessage() + repr(record.__dict__) for record in caplog.records]
    )
    assert "email not sent" in logged
    assert not re.search(r"/evidence/[A-Za-z0-9_-]{20,}", logged)
    assert app.email not in logged
    assert "Send a photo of your passport" not in logged
