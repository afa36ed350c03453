"""Every form that changes something refuses a send without the CSRF token."""

import pytest
from django.test import Client

from ier.registration.models import Application
from tests.citizen.helpers import CHECK_ANSWERS, ordinary_answers, walk

pytestmark = pytest.mark.django_db

FORMS = [
    ("/register/where-you-live/", {"country": "england"}),
    ("/cy/register/where-you-live/", {"country": "england"}),
    ("/status/", {"reference": "AAAAA AAAAA"}),
    ("/feedback/", {"rating": "5"}),
    ("/ero/sign-in/", {"username": "someone", "password": "wrong"}),
    ("/ero/sign-in/code/", {"code": "123456"}),
]


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(("path", "data"), FORMS)
def test_a_send_without_the_token_is_refused(strict_client, path, data):
    strict_client.get("/register/start/")
    response = strict_client.post(path, data)
    assert response.status_code == 403


def test_sending_the_application_without_the_token_is_refused(client):
    """A whole journey answered (with tokens), then the last send without one."""
    walk(client, ordinary_answers())
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = strict.post(CHECK_ANSWERS, {"declaration": "on"})
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_a_send_with_the_token_is_accepted(strict_client):
    """The refusals above are the token's doing, not a broken form."""
    page = strict_client.get("/status/")
    token = page.cookies["csrftoken"].value
    response = strict_client.post(
        "/status/", {"reference": "", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200


def test_the_refusal_page_is_a_proper_page(strict_client):
    response = strict_client.post("/status/", {})
    assert response.status_code == 403
    assert b"<h1" in response.content
