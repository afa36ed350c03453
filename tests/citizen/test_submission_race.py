"""The same application sent twice at the same moment: a double click (requests
carrying the same cookie) and the same person applying in two browsers, each
request on a database connection of its own as on a real web node."""

import re
from http.cookies import SimpleCookie

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from ier.registration.models import Application, ApplicationEvent
from ier.verification.models import DuplicateCheck, Verification
from ier.verification.tasks import QUEUE
from tests.citizen.helpers import CHECK_ANSWERS, ordinary_answers, walk
from tests.races import at_once, committed, committed_applications, postgresql_only
from tests.verification.helpers import a_verifier, drain

pytestmark = [pytest.mark.django_db, postgresql_only]
__all__ = ["committed_applications"]

COMPLETE = "/register/complete/"
REFERENCE = re.compile(r"<strong>([A-Z0-9]{5}) ([A-Z0-9]{5})</strong>")


def sending(cookies: SimpleCookie):
    """A browser holding `cookies` as they are now, ready to send the answers."""
    browser = Client()
    browser.cookies = SimpleCookie(cookies.output(header="", sep=";"))

    def send():
        response = browser.post(CHECK_ANSWERS, {"declaration": "on"})
        return response.status_code, response["Location"], browser

    return send


def shown_reference(browser: Client) -> str:
    page = browser.get(COMPLETE)
    assert page.status_code == 200
    return "".join(REFERENCE.search(page.content.decode()).groups())


def written(pks) -> dict:
    return {
        "events": sorted(
            ApplicationEvent.objects.filter(application_id__in=pks).values_list(
                "application_id", "event"
            )
        ),
        "verifications queued": sorted(
            DBTaskResult.objects.filter(
                queue_name=QUEUE, args_kwargs__kwargs__application_id__in=pks
            ).values_list("args_kwargs__kwargs__application_id", flat=True)
        ),
        "checks": sorted(
            DuplicateCheck.objects.filter(application_id__in=pks).values_list(
                "application_id", flat=True
            )
        ),
    }


def test_a_triple_click_makes_one_application_and_shows_it_to_every_click(
    client, committed_applications
):
    walk(client, ordinary_answers())
    answers = at_once(*(sending(client.cookies) for _ in range(3)))

    assert [(status, location) for status, location, _ in answers] == [
        (302, COMPLETE)
    ] * 3
    application = Application.objects.get()
    assert written([application.pk]) == {
        "events": [(application.pk, "submitted")],
        "verifications queued": [application.pk],
        "checks": [application.pk],
    }
    assert {shown_reference(browser) for *_, browser in answers} == {
        application.reference
    }, "the clicks that lost are shown the application that won"
    committed(lambda: drain(a_verifier()))
    assert list(Verification.objects.values_list("application_id", flat=True)) == [
        application.pk
    ], "verified once"


def test_one_person_in_two_browsers_at_once_makes_two_applications(
    client, committed_applications
):
    """Two journeys are two sends: both are kept, each whole and checked once, and
    each browser is shown its own reference. Once the worker has claimed them, the
    later one is flagged as a possible duplicate of the earlier, whichever way
    the race went (neither lookup may have seen the other's commit)."""
    other = Client()
    for browser in (client, other):
        walk(browser, ordinary_answers())
    answers = at_once(sending(client.cookies), sending(other.cookies))

    assert [(status, location) for status, location, _ in answers] == [
        (302, COMPLETE)
    ] * 2
    applications = list(Application.objects.order_by("pk"))
    pks = [application.pk for application in applications]
    assert len(applications) == 2
    assert written(pks) == {
        "events": sorted(
            [(pk, "submitted") for pk in pks]
            + [
                (a.pk, "possible_duplicate")
                for a in applications
                if a.possible_duplicate
            ]
        ),
        "verifications queued": pks,
        "checks": pks,
    }
    assert sorted(shown_reference(browser) for *_, browser in answers) == sorted(
        a.reference for a in applications
    )

    committed(lambda: drain(a_verifier()))
    assert sorted(Verification.objects.values_list("application_id", flat=True)) == (
        pks
    ), "each verified once"
    earlier, later = Application.objects.order_by("pk")
    assert (earlier.possible_duplicate, later.possible_duplicate) == (False, True)
    flags = ApplicationEvent.objects.filter(
        application_id__in=pks, event="possible_duplicate"
    )
    assert [(e.application_id, e.detail) for e in flags] == [
        (later.pk, {"on_register": False, "pending_applications": [earlier.reference]})
    ]
    assert DuplicateCheck.objects.get(application=later).pending_matches == [
        earlier.reference
    ]
