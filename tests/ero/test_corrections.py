"""Corrections in the portal: the officer's own, and the applicant's through a
single-use, expiring link."""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ier.ero.models import AuditEntry, CorrectionRequest
from ier.registration.models import Application, Correction, Status
from ier.verification.synthetic import submit_cases
from tests.api.factories import create_application, create_officer
from tests.ero.conftest import sign_in
from tests.verification.helpers import a_verifier, drain, on_record, some_addresses

pytestmark = pytest.mark.django_db


def correct_url(app) -> str:
    return "/ero/applications/%s/correct/" % app.reference


def form_values(officer_client, app) -> dict:
    """What the correction page sends back unchanged: its fields as shown."""
    page = officer_client.get(correct_url(app)).content.decode()
    values = {}
    for tag in re.findall(r"<input [^>]*>", page):
        name = re.search(r'name="([\w-]+)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag)
        values[name] = html.unescape(value.group(1)) if value else ""
    values.pop("csrfmiddlewaretoken", None)
    values.update(
        {
            "date_of_birth-day": str(app.date_of_birth.day),
            "date_of_birth-month": str(app.date_of_birth.month),
            "date_of_birth-year": str(app.date_of_birth.year),
        }
    )
    return values


def test_an_officers_correction_of_a_nino_slip_turns_red_into_green(client, authority):
    """The portal path end to end, with the stand-in identity service."""
    _people, cases = on_record(60)
    case = next(c for c in cases if c.variation == "exact" and c.nino)
    (pk,) = submit_cases([case], some_addresses(1))
    app = Application.objects.get(pk=pk)
    right = app.nino
    app.nino = right[:2] + str((int(right[2]) + 1) % 10) + right[3:]
    app.save()
    drain(a_verifier())
    app.refresh_from_db()
    assert app.status == Status.NOT_VERIFIED
    officer_client = sign_in(client, create_officer(app.authority))
    values = form_values(officer_client, app)
    values.update(nino=right, reason="The applicant phoned: one digit was wrong")
    response = officer_client.post(correct_url(app), values)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].endswith("#corrections")
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    correction = Correction.objects.get(application=app)
    assert correction.fields == ["nino"]
    assert correction.source == "officer"
    drain(a_verifier())
    app.refresh_from_db()
    assert app.status == Status.VERIFIED
    page = officer_client.get("/ero/applications/%s/" % app.reference)
    assert "The applicant phoned: one digit was wrong" in page.content.decode()
    assert 'govuk-tag--blue">Corrected<' in page.content.decode()


@pytest.fixture
def red(authority):
    return create_application(authority, Status.NOT_VERIFIED)


def test_errors_keep_what_was_typed(officer_client, red):
    values = form_values(officer_client, red)
    values.update(nino="QQ 12 34", first_name="Ann3", reason="Slip")
    response = officer_client.post(correct_url(red), values)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a National Insurance number in the correct format" in page
    assert "Names must only include letters" in page
    assert 'value="QQ 12 34"' in page and 'value="Ann3"' in page
    assert not Correction.objects.exists()


def test_a_reason_is_required_and_something_must_change(officer_client, red):
    values = form_values(officer_client, red)
    response = officer_client.post(correct_url(red), values)
    assert response.status_code == 400
    assert "Enter why you are correcting these details" in response.content.decode()
    values["reason"] = "Checked"
    response = officer_client.post(correct_url(red), values)
    assert response.status_code == 400
    assert "Change at least one detail" in response.content.decode()


def test_the_correction_is_audited(officer_client, officer, red):
    values = form_values(officer_client, red)
    values.update(last_name="Exampel", reason="Misspelt")
    assert officer_client.post(correct_url(red), values).status_code == 302
    entry = AuditEntry.objects.get(action="correction")
    assert (entry.reference, entry.actor) == (red.reference, officer.user.username)
    assert entry.detail == {"fields": ["last_name"]}
    correction = Correction.objects.get()
    assert correction.before == {"last_name": "Example"}
    assert correction.after == {"last_name": "Exampel"}
    assert correction.actor == "officer:%s" % officer.user.username


def test_changing_address_lines_drops_the_uprn(officer_client, authority):
    app = create_application(authority, Status.PARTIAL, address_uprn=12345)
    values = form_values(officer_client, app)
    values.update(address_line_1="1 Other Street", reason="Wrong house")
    assert officer_client.post(correct_url(app), values).status_code == 302
    app.refresh_from_db()
    assert (app.address_line_1, app.address_uprn) == ("1 Other Street", None)


def test_another_council_can_neither_see_nor_correct(client, other_authority, red):
    theirs = sign_in(client, create_officer(other_authority))
    assert theirs.get(correct_url(red)).status_code == 404
    assert theirs.post(correct_url(red), {"reason": "x"}).status_code == 404
    request_url = "/ero/applications/%s/correction-request/" % red.reference
    assert theirs.post(request_url, {"groups": ["nino"]}).status_code == 404
    assert not Correction.objects.exists()
    assert not CorrectionRequest.objects.exists()


def test_a_decided_application_is_not_offered_for_correction(officer_client, authority):
    app = create_application(authority, Status.ACCEPTED)
    response = officer_client.get(correct_url(app))
    assert response.status_code == 302
    assert (
        "Correct the details"
        not in officer_client.get(
            "/ero/applications/%s/" % app.reference
        ).content.decode()
    )


# The applicant's link --------------------------------------------------------


def ask_applicant(officer_client, app, groups=("nino",), message="Check your NINO"):
    return officer_client.post(
        "/ero/applications/%s/correction-request/" % app.reference,
        {"groups": list(groups), "message": message},
    )


def correction_link() -> str:
    found = re.search(r"https?://\S+/correct/\S+/", mail.outbox[-1].body).group(0)
    return found.split("testserver")[-1]


def test_asking_the_applicant_emails_a_link_without_personal_data(
    officer_client, red, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_applicant(officer_client, red)
    assert response.status_code == 302
    assert mail.outbox[-1].to == [red.email]
    body = mail.outbox[-1].body
    for personal in (red.reference, red.first_name, red.nino, red.address_postcode):
        assert personal not in body
    assert "Check your NINO" in body
    entry = AuditEntry.objects.get(action="correction_request")
    assert entry.detail == {"groups": ["nino"]}


def test_the_link_shows_only_the_chosen_fields_and_works_once(
    officer_client, red, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_applicant(officer_client, red, groups=("nino", "date_of_birth"))
    path = correction_link()
    applicant = Client()
    page = applicant.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="nino"' in text and 'name="date_of_birth-day"' in text
    assert 'name="first_name"' not in text and 'name="address_line_1"' not in text
    assert red.nino not in text  # nothing of theirs is shown
    refused = applicant.post(path, {"nino": "nonsense"})
    assert refused.status_code == 400
    assert "Enter your date of birth" in refused.content.decode()
    assert 'value="nonsense"' in refused.content.decode()
    response = applicant.post(
        path,
        {
            "nino": "AB 12 34 56 C",
            "date_of_birth-day": "2",
            "date_of_birth-month": "3",
            "date_of_birth-year": "1981",
        },
    )
    assert response.status_code == 200
    assert "Details sent" in response.content.decode()
    red.refresh_from_db()
    assert (red.nino, red.date_of_birth.isoformat()) == ("AB123456C", "1981-03-02")
    assert red.status == Status.SUBMITTED
    correction = Correction.objects.get(application=red)
    assert (correction.source, correction.actor) == ("applicant", "applicant")
    assert AuditEntry.objects.filter(action="correction_by_applicant").count() == 1
    again = applicant.get(path)
    assert again.status_code == 404
    assert "This link no longer works" in again.content.decode()
    assert applicant.post(path, {"nino": "QQ123456C"}).status_code == 404
    assert Correction.objects.filter(application=red).count() == 1


def test_an_expired_link_is_refused(
    officer_client, red, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_applicant(officer_client, red)
    CorrectionRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    path = correction_link()
    response = Client().get(path)
    assert response.status_code == 404
    assert "This link no longer works" in response.content.decode()
    assert Client().post(path, {"nino": "AB123456C"}).status_code == 404
    assert not Correction.objects.exists()


def test_an_unknown_link_is_refused(client):
    assert client.get("/correct/not-a-real-token/").status_code == 404


def test_the_link_is_in_welsh_for_a_welsh_applicant(
    officer_client, authority, django_capture_on_commit_callbacks
):
    app = create_application(authority, Status.NOT_VERIFIED, language="cy")
    with django_capture_on_commit_callbacks(execute=True):
        ask_applicant(officer_client, app)
    assert "Cofrestru i bleidleisio" in mail.outbox[-1].subject
    page = Client().get(correction_link())
    assert page.status_code == 200
    assert "Gwirio a chywiro eich manylion" in page.content.decode()


def test_no_email_address_means_no_link(officer_client, authority):
    app = create_application(authority, Status.NOT_VERIFIED, email="")
    response = ask_applicant(officer_client, app)
    assert response.status_code == 400
    assert "gave no email address" in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_choosing_no_details_is_an_error(officer_client, red):
    response = ask_applicant(officer_client, red, groups=())
    assert response.status_code == 400
    assert "Select the details the applicant should check" in response.content.decode()
