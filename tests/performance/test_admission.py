"""Admission control: beyond a node's limits new arrivals get the busy page, people
already in a journey keep being served, health checks and assets always pass."""

import os
import signal

import pytest
from django.core import signing
from django.test import override_settings

from ier.core.admission import InFlightCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def node(tmp_path, settings):
    """Low limits on a counter of our own; `load(n)` puts n requests in flight."""
    settings.ADMISSION_COUNTER_PATH = str(tmp_path / "in-flight")
    settings.ADMISSION_NEW_IN_FLIGHT = 2
    settings.ADMISSION_MAX_IN_FLIGHT = 5
    other_worker = InFlightCounter(tmp_path / "in-flight")

    def load(requests):
        other_worker.add(requests - other_worker.total())

    return load


def in_journey(client):
    client.get("/register/start/")
    assert "ier_answers" in client.cookies


def test_counter_sums_every_process_and_forgets_dead_ones(tmp_path):
    path = tmp_path / "in-flight"
    here = InFlightCounter(path)
    here.add(2)
    child = os.fork()
    if child == 0:  # a worker that dies mid-request, as kill -9 would leave it
        InFlightCounter(path).add(3)
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(child, 0)
    assert here.total() == 5
    InFlightCounter(path).total()  # a new worker claims a slot, clearing the dead one
    assert here.total() == 2


def test_below_the_limit_everyone_is_served(client, node):
    node(1)
    assert client.get("/").status_code == 200


def test_new_arrivals_beyond_the_limit_get_the_busy_page(client, node):
    node(2)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "Sorry, the service is busy" in response.content.decode()
    assert "Try again in 2 minutes." in response.content.decode()


def test_the_busy_page_is_in_welsh_under_cy(client, node):
    node(2)
    response = client.get("/cy/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "mae’r gwasanaeth yn brysur" in page
    assert 'lang="cy"' in page


def test_people_in_a_journey_keep_being_served(client, node):
    in_journey(client)
    node(4)
    response = client.get("/register/start/")
    assert response.status_code == 302


def test_admitted_arrivals_keep_their_place(client, node):
    assert client.get("/").status_code == 200
    assert "ier_admitted" in client.cookies
    node(3)
    assert client.get("/register/start/").status_code == 302


def test_a_forged_admission_cookie_does_not_admit(client, node):
    client.cookies["ier_admitted"] = signing.dumps(1, salt="something else")
    node(2)
    assert client.get("/").status_code == 503


def test_beyond_the_hard_limit_even_journeys_wait(client, node):
    in_journey(client)
    node(5)
    assert client.get("/register/start/").status_code == 503


def test_health_checks_and_assets_always_pass(client, node):
    node(50)
    assert client.get("/healthz").status_code == 200
    assert client.get("/assets/ier/app.css", check=False).status_code in (200, 404)
    assert client.get("/ero/sign-in/", check=False).status_code != 503


def test_requests_leave_the_count_when_they_finish(client, node, tmp_path):
    client.get("/")
    client.get("/no-such-page/")
    assert InFlightCounter(tmp_path / "in-flight").total() == 0


def test_limits_of_zero_switch_admission_off(client, node):
    node(50)
    with override_settings(ADMISSION_NEW_IN_FLIGHT=0, ADMISSION_MAX_IN_FLIGHT=0):
        assert client.get("/").status_code == 200
