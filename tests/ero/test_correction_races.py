"""Corrections made exactly once, under real races on PostgreSQL: one applicant's
link used twice at the same moment, and an EMS retrying with the same
Idempotency-Key before its first request has finished."""

import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from ier.ero import correction_links
from ier.ero.models import CorrectionRequest
from ier.registration import corrections
from ier.registration.models import Correction, Status
from tests.api.factories import bearer, create_application, create_token
from tests.races import postgresql_only

pytestmark = pytest.mark.django_db


def in_threads(*works) -> None:
    threads = [threading.Thread(target=work) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive(), "a racer is stuck"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_of_two_uses_of_one_link_at_once_exactly_one_corrects(
    officer_client, authority, monkeypatch, django_capture_on_commit_callbacks
):
    app = create_application(authority, Status.NOT_VERIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            "/ero/applications/%s/correction-request/" % app.reference,
            {"groups": ["nino"]},
        )
    path = re.search(r"/correct/[^/\s]+/", mail.outbox[-1].body).group(0)
    both_in = threading.Barrier(2, timeout=30)
    real = correction_links.may_try_again

    def count_then_wait(request):
        allowed = real(request)
        both_in.wait()  # both have found the link open
        return allowed

    monkeypatch.setattr(correction_links, "may_try_again", count_then_wait)
    answers = []

    def send(nino):
        try:
            answers.append(Client().post(path, {"nino": nino}))
        finally:
            connection.close()

    in_threads(lambda: send("AB123456C"), lambda: send("AB123457C"))
    assert sorted(a.status_code for a in answers) == [200, 404]
    assert Correction.objects.filter(application=app).count() == 1
    assert CorrectionRequest.objects.for_authority(authority).get().used_at


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_idempotency_key_at_once_make_one_correction(
    authority, monkeypatch
):
    app = create_application(authority, Status.PARTIAL)
    secret = create_token(authority)
    both_looked = threading.Barrier(2, timeout=30)
    waited = []
    real = corrections.replayed

    def look_then_wait(*args):
        found = real(*args)
        if len(waited) < 2:
            waited.append(1)
            both_looked.wait()  # neither has found the other's correction
        return found

    monkeypatch.setattr(corrections, "replayed", look_then_wait)
    answers = []

    def send():
        try:
            answers.append(
                Client().post(
                    "/api/v1/applications/%s/corrections" % app.reference,
                    {"reason": "Slip", "changes": {"nino": "AB123456C"}},
                    content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY="retry-1",
                    **bearer(secret),
                )
            )
        finally:
            connection.close()

    in_threads(send, send)
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert len({a.json()["correction_id"] for a in answers}) == 1
    assert Correction.objects.filter(application=app).count() == 1
