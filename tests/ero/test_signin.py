import pytest
from django.test import override_settings

from ier.ero.models import AuditEntry
from tests.api.factories import PASSWORD, create_officer, current_code
from tests.ero.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_portal_pages_need_sign_in(client):
    response = client.get("/ero/applications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ero/sign-in/?next=")


def test_password_then_code_signs_in(client, officer):
    page = client.get("/ero/sign-in/")
    assert page.status_code == 200
    response = client.post(
        "/ero/sign-in/?next=/ero/applications/",
        {"email": officer.user.username, "password": PASSWORD},
    )
    assert response["Location"] == "/ero/sign-in/code/"
    # The password alone opens nothing.
    assert client.get("/ero/")["Location"].startswith("/ero/sign-in/")
    assert client.get("/ero/sign-in/code/").status_code == 200
    done = client.post("/ero/sign-in/code/", {"code": current_code(officer.user)})
    assert done["Location"] == "/ero/applications/"
    assert client.get("/ero/").status_code == 200
    assert (
        AuditEntry.objects.for_authority(officer.authority)
        .filter(action="sign_in")
        .exists()
    )


def test_wrong_password_keeps_email_and_says_what_to_do(client, officer):
    response = client.post(
        "/ero/sign-in/", {"email": officer.user.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert officer.user.username in response.content.decode()


def test_wrong_code_is_refused(client, officer):
    client.post("/ero/sign-in/", {"email": officer.user.username, "password": PASSWORD})
    response = client.post("/ero/sign-in/code/", {"code": "000000"})
    assert "The code is not correct" in response.content.decode()
    assert client.get("/ero/")["Location"].startswith("/ero/sign-in/")


def test_code_page_without_password_goes_back(client):
    assert client.get("/ero/sign-in/code/")["Location"] == "/ero/sign-in/"


@override_settings(ERO_SIGNIN_FAILURES=3)
def test_account_locks_after_repeated_failures(client, officer):
    for _ in range(3):
        client.post(
            "/ero/sign-in/", {"email": officer.user.username, "password": "nope"}
        )
    response = client.post(
        "/ero/sign-in/", {"email": officer.user.username, "password": PASSWORD}
    )
    assert "Your account is locked" in response.content.decode()
    assert "sign-in/code" not in response.get("Location", "")


def test_open_redirect_is_refused(client, officer):
    client.post(
        "/ero/sign-in/?next=https://evil.example/",
        {"email": officer.user.username, "password": PASSWORD},
    )
    done = client.post("/ero/sign-in/code/", {"code": current_code(officer.user)})
    assert done["Location"] == "/ero/"


@override_settings(ERO_IDLE_SECONDS=60)
def test_idle_session_is_signed_out(officer_client, monkeypatch):
    assert officer_client.get("/ero/").status_code == 200
    session = officer_client.session
    session["ero_seen"] -= 61
    session.save()
    response = officer_client.get("/ero/")
    assert response["Location"].startswith(
        "/ero/sign-in/?next=%2Fero%2F&reason=timeout"
    )
    page = officer_client.get(response["Location"])
    assert "You were signed out" in page.content.decode()


def test_sign_out(officer_client, officer):
    response = officer_client.post("/ero/sign-out/")
    assert response["Location"] == "/ero/sign-in/"
    assert officer_client.get("/ero/")["Location"].startswith("/ero/sign-in/")


def test_officer_cannot_open_manager_pages(officer_client):
    for path in ("/ero/team/", "/ero/tokens/", "/ero/audit/"):
        assert officer_client.get(path).status_code == 403


def test_removed_officer_is_signed_out(client, authority):
    officer = create_officer(authority)
    sign_in(client, officer)
    officer.user.is_active = False
    officer.user.save()
    assert client.get("/ero/").status_code == 302


@override_settings(ERO_SIGNIN_FAILURES=3)
def test_the_lockout_holds_when_each_try_comes_from_elsewhere(client, officer):
    """An account's failures add up whatever address and browser each try uses."""
    for n in range(3):
        client.post(
            "/ero/sign-in/",
            {"email": officer.user.username.upper(), "password": "nope"},
            REMOTE_ADDR="192.0.2.%d" % n,
            HTTP_USER_AGENT="browser %d" % n,
        )
    response = client.post(
        "/ero/sign-in/", {"email": officer.user.username, "password": PASSWORD}
    )
    assert "Your account is locked" in response.content.decode()
