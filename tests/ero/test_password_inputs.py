"""Password boxes follow GOV.UK's password input pattern: the characters are hidden,
what was typed is never sent back in a page, and the browser is told which kind of
password it is (so password managers fill or suggest the right one)."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.api.factories import PASSWORD

pytestmark = pytest.mark.django_db

TYPED = "Typed-Secret-Passphrase-42"


def password_input(html: str, name: str) -> str:
    found = re.search(r'<input[^>]*\bname="%s"[^>]*>' % name, html)
    assert found, name
    return found.group(0)


def test_a_failed_sign_in_hides_the_password_and_does_not_echo_it(client, officer):
    page = client.post(
        "/ero/sign-in/", {"email": officer.user.username, "password": TYPED}
    )
    html = page.content.decode()
    assert "Enter a correct email address and password" in html
    assert TYPED not in html
    box = password_input(html, "password")
    assert 'type="password"' in box
    assert 'autocomplete="current-password"' in box
    assert "value=" not in box
    # GOV.UK's show/hide button, hidden until its script runs.
    assert "govuk-password-input__toggle" in html


def test_the_right_password_with_a_wrong_email_is_not_echoed_either(client, officer):
    page = client.post("/ero/sign-in/", {"email": "not an email", "password": PASSWORD})
    assert PASSWORD not in page.content.decode()


def test_setting_a_password_asks_for_a_new_one_and_never_echoes_it(
    manager_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            "/ero/team/", {"email": "new.person@example.gov.uk", "role": "officer"}
        )
    path = re.search(r"/ero/invitation/\S+/", mail.outbox[-1].body).group(0)
    invited = Client()
    page = invited.post(path, {"password": TYPED, "confirm": TYPED + "x"})
    html = page.content.decode()
    assert page.status_code == 400
    assert TYPED not in html
    for name in ("password", "confirm"):
        box = password_input(html, name)
        assert 'type="password"' in box
        assert 'autocomplete="new-password"' in box
        assert "value=" not in box
