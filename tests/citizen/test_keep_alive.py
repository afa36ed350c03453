"""The "stay on this page" button: the answers cookie is refreshed, nothing else."""

import time

import pytest

from ier.citizen.session import Journey

pytestmark = pytest.mark.django_db


def test_every_question_page_carries_the_timeout_warning(client, settings):
    client.get("/register/start/")
    html = client.get("/register/where-you-live/").content.decode()
    assert 'data-module="ier-timeout-warning"' in html
    assert 'data-idle-seconds="%d"' % settings.JOURNEY_IDLE_SECONDS in html
    assert 'data-warning-seconds="%d"' % settings.JOURNEY_WARNING_SECONDS in html
    assert "Stay on this page" in html


def test_keep_alive_refreshes_the_cookie_and_keeps_the_answers(client, settings):
    client.get("/register/start/")
    client.post("/register/where-you-live/", {"country": "wales"})
    before = Journey.from_token(client.cookies[settings.JOURNEY_COOKIE_NAME].value)
    time.sleep(0.01)
    response = client.post("/register/keep-alive/")
    assert response.status_code == 204
    after = Journey.from_token(client.cookies[settings.JOURNEY_COOKIE_NAME].value)
    assert after.seen > before.seen
    assert after.answers == before.answers == {"where-you-live": {"country": "wales"}}


def test_keep_alive_cannot_revive_expired_answers(client, settings):
    client.get("/register/start/")
    settings.JOURNEY_IDLE_SECONDS = settings.JOURNEY_RESEAL_SECONDS = 0
    time.sleep(0.01)
    assert client.post("/register/keep-alive/").status_code == 410


def test_keep_alive_without_a_journey_is_gone(client):
    assert client.post("/register/keep-alive/").status_code == 410


def test_keep_alive_needs_the_pages_csrf_token(settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.get("/register/start/")
    assert strict.post("/register/keep-alive/").status_code == 403
