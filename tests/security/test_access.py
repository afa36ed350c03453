"""Operators need a verified authenticator for /django-admin/ as officers do for the
portal; the portal's export never carries a National Insurance number."""

import pytest
from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY

from ier.ero.models import AuthenticatorDevice
from tests.api.factories import create_application, create_officer, two_authorities

pytestmark = pytest.mark.django_db


def an_operator():
    return get_user_model().objects.create_superuser(
        "operator", "operator@example.gov.uk", "a long operator password"
    )


def test_the_admin_refuses_an_operator_signed_in_without_a_code(client):
    client.force_login(an_operator())
    response = client.get("/django-admin/", check=False)
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]


def test_the_admin_sign_in_is_the_portals_which_asks_for_a_code(client):
    page = client.get("/django-admin/login/")
    assert page["Location"] == "/ero/sign-in/?next=/django-admin/"


def test_the_admin_admits_an_operator_with_a_verified_device(client):
    operator = an_operator()
    device = AuthenticatorDevice.objects.create(
        user=operator, name="default", confirmed=True
    )
    client.force_login(operator)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get("/django-admin/", check=False).status_code == 200


def test_the_portal_export_has_no_national_insurance_number(client):
    authority, _other = two_authorities()
    application = create_application(authority)
    officer = create_officer(authority)
    client.force_login(officer.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = AuthenticatorDevice.objects.get(
        user=officer.user
    ).persistent_id
    session.save()
    response = client.get("/ero/applications/export.csv")
    body = b"".join(response.streaming_content).decode()
    assert application.reference in body
    assert application.nino not in body
    assert application.nino_encrypted not in body
    assert "nino" not in body.splitlines()[0].replace("nino_reused", "")
