import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from ier.api.models import ApiToken
from ier.ero.models import AuditEntry, AuthenticatorDevice, Officer
from tests.api.factories import bearer, create_officer, current_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 7"


def test_manager_invites_officer_who_sets_password_and_app(
    manager_client, authority, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            "/ero/team/", {"email": "New.Person@example.gov.uk", "role": "officer"}
        )
    assert response.status_code == 302
    officer = Officer.objects.for_authority(authority).get(
        user__username="new.person@example.gov.uk"
    )
    link = re.search(r"https?://\S+/ero/invitation/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("testserver")[-1]

    invited = Client()
    assert invited.get(path).status_code == 200
    weak = invited.post(path, {"password": "short", "confirm": "short"})
    assert weak.status_code == 400
    invited.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    app_page = invited.get(path)
    assert "Set up your authenticator app" in app_page.content.decode()
    assert "<svg" in app_page.content.decode()
    done = invited.post(path, {"code": current_code(officer.user)})
    assert done["Location"] == "/ero/sign-in/"
    assert AuthenticatorDevice.objects.get(user=officer.user).confirmed
    assert invited.get(path).status_code == 404  # the link is used up

    # A code is accepted once; sign in as if the next 30-second step had come.
    AuthenticatorDevice.objects.filter(user=officer.user).update(last_t=-1)
    invited.post(
        "/ero/sign-in/", {"email": officer.user.username, "password": NEW_PASSWORD}
    )
    signed_in = invited.post("/ero/sign-in/code/", {"code": current_code(officer.user)})
    assert signed_in.status_code == 302
    assert invited.get("/ero/").status_code == 200


def test_invite_mistakes_are_explained(manager_client, manager):
    response = manager_client.post("/ero/team/", {"email": "not-an-email", "role": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in body
    assert "Select a role" in body
    taken = manager_client.post(
        "/ero/team/", {"email": manager.user.username, "role": "officer"}
    )
    assert "already has an account" in taken.content.decode()


def test_manager_removes_officer(manager_client, authority):
    officer = create_officer(authority)
    response = manager_client.post("/ero/team/%d/remove/" % officer.pk)
    assert response.status_code == 302
    assert not Officer.objects.for_authority(authority).filter(pk=officer.pk).exists()
    assert not get_user_model().objects.get(pk=officer.user.pk).is_active


def test_manager_cannot_remove_self(manager_client, manager):
    assert manager_client.post("/ero/team/%d/remove/" % manager.pk).status_code == 404


def test_token_shown_once_and_works_then_revoked(manager_client, authority, client):
    response = manager_client.post("/ero/tokens/", {"name": "Nightly download"})
    secret = re.search(r"ier_[A-Za-z0-9_\-]{20,}", response.content.decode()).group(0)
    token = ApiToken.objects.for_authority(authority).get()
    assert token.secret_hash != secret
    listing = manager_client.get("/ero/tokens/").content.decode()
    assert secret not in listing
    assert token.prefix in listing
    api = Client()
    assert api.get("/api/v1/counts", **bearer(secret)).status_code == 200
    manager_client.post("/ero/tokens/%d/revoke/" % token.pk)
    assert api.get("/api/v1/counts", **bearer(secret)).status_code == 401


def test_token_needs_a_name(manager_client):
    response = manager_client.post("/ero/tokens/", {"name": ""})
    assert "Enter a name for the token" in response.content.decode()


def test_audit_log_lists_views_and_cannot_be_changed(
    manager_client, authority, officer
):
    from tests.api.factories import create_application

    app = create_application(authority)
    assert (
        manager_client.get("/ero/applications/%s/" % app.reference).status_code == 200
    )
    page = manager_client.get("/ero/audit/").content.decode()
    assert app.reference in page
    entry = AuditEntry.objects.for_authority(authority).first()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.for_authority(authority).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.for_authority(authority).delete()
