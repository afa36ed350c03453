"""A field no person sees: a send that fills it saves nothing and learns nothing."""

import pytest

from ier.registration.models import Application
from tests.citizen.helpers import CHECK_ANSWERS, ordinary_answers, walk

pytestmark = pytest.mark.django_db


def test_the_field_is_hidden_from_people_and_their_tools(client):
    page = walk(client, ordinary_answers()).content.decode()
    assert 'aria-hidden="true"' in page
    field = page[page.index('name="website"') - 80 : page.index('name="website"') + 80]
    assert 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field
    assert 'name="website"' in client.get("/status/").content.decode()


def test_a_filled_honeypot_on_check_answers_saves_nothing(client):
    walk(client, ordinary_answers())
    response = client.post(
        CHECK_ANSWERS, {"declaration": "on", "website": "http://spam.example"}
    )
    assert response.status_code == 302
    assert response["Location"] == CHECK_ANSWERS
    assert not Application.objects.exists()


def test_an_empty_honeypot_lets_the_application_through(client):
    walk(client, ordinary_answers())
    response = client.post(CHECK_ANSWERS, {"declaration": "on", "website": ""})
    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_a_filled_honeypot_on_the_status_form_looks_nothing_up(client):
    response = client.post("/status/", {"reference": "AAAAAAAAAA", "website": "spam"})
    assert response.status_code == 302
    assert response["Location"] == "/status/"
