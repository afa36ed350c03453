"""The Django admin is reached only through the portal's sign-in: the same lockout,
rate limit and failure message as officers get, then a code from an app."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY

from ier.ero.models import AuthenticatorDevice
from tests.api.factories import PASSWORD, current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    user = get_user_model().objects.create_superuser(
        "operator@example.gov.uk", "operator@example.gov.uk", PASSWORD
    )
    AuthenticatorDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_the_admins_own_sign_in_page_sends_operators_to_the_portals(client):
    page = client.get("/django-admin/login/?next=/django-admin/auth/user/")
    assert page.status_code == 302
    assert page["Location"] == "/ero/sign-in/?next=/django-admin/"
    assert client.get("/django-admin/")["Location"].startswith("/django-admin/login/")


def test_a_right_and_a_wrong_password_get_the_same_answer(client, operator):
    answers = [
        client.post(
            "/django-admin/login/",
            {"username": operator.username, "password": password},
            check=False,
        )
        for password in (PASSWORD, "wrong password")
    ]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].content == answers[1].content
    assert answers[0]["Location"] == answers[1]["Location"]


@override_settings(ERO_SIGNIN_FAILURES=3)
def test_an_operator_is_locked_out_like_an_officer(client, operator):
    for _ in range(3):
        wrong = client.post(
            "/ero/sign-in/?next=/django-admin/",
            {"email": operator.username, "password": "wrong password"},
        )
        assert "Enter a correct email address and password" in wrong.content.decode()
    locked = client.post(
        "/ero/sign-in/?next=/django-admin/",
        {"email": operator.username, "password": PASSWORD},
    )
    assert "Your account is locked" in locked.content.decode()


def test_an_operator_signs_in_with_a_code_and_reaches_the_admin(client, operator):
    client.post(
        "/ero/sign-in/?next=/django-admin/",
        {"email": operator.username, "password": PASSWORD},
    )
    done = client.post("/ero/sign-in/code/", {"code": current_code(operator)})
    assert done["Location"] == "/django-admin/"
    assert client.session.get(DEVICE_ID_SESSION_KEY)
    assert client.get("/django-admin/", check=False).status_code == 200
