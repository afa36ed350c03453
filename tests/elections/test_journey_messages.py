"""The citizen is told which coming elections an application counts for, and
plainly when it is too late for one: on the elections page for a postcode, on
"check your answers", on the confirmation page and in the email, in English and
Welsh. Every page fetched here is also checked (tests/pagecheck.py)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from ier.elections.models import ElectionArea
from ier.registration.models import Application
from ier.registration.notifications import build_message
from tests.citizen.helpers import an_address, ordinary_answers, submit, walk
from tests.elections.factories import create_election, weeks_ahead

pytestmark = pytest.mark.django_db


def day_long(value, language="en"):
    with override(language):
        return date_format(value, "l j F Y")


@pytest.fixture
def home():
    return an_address("Wales")


@pytest.fixture
def elections(home):
    """A Senedd election far enough ahead to apply for, and a by-election whose
    deadline passed yesterday but whose polling day is still to come."""
    council = home.authority
    ahead = create_election([council], weeks_ahead(8), election_type="senedd")
    missed = create_election(
        [council], timezone.localdate() + timedelta(days=10), division="Splott"
    )
    yesterday = timezone.now() - timedelta(days=1)
    ElectionArea.objects.filter(election=missed).update(
        deadline=yesterday, deadline_day=timezone.localdate(yesterday)
    )
    return ahead, missed


def area(election):
    return ElectionArea.objects.get(election=election)


def test_start_page_offers_the_postcode_lookup(client):
    page = client.get("/")
    assert b'action="/elections/"' in page.content


def test_postcode_lookup_says_what_to_apply_by_and_what_is_too_late(
    client, home, elections
):
    ahead, _missed = elections
    page = client.post("/elections/", {"postcode": home.postcode.lower()})
    text = page.content.decode()
    assert "Senedd election on %s." % day_long(ahead.poll_date) in text
    assert "Apply by 11:59pm on %s." % day_long(area(ahead).deadline_day) in text
    assert (
        "It is too late to apply for the %s by-election in Splott"
        % (home.authority.name)
        in text
    )
    assert "will not count for that election, but it will count for later" in text


def test_postcode_lookup_in_welsh(client, home, elections):
    ahead, _missed = elections
    page = client.post("/cy/elections/", {"postcode": home.postcode})
    text = page.content.decode()
    # "ar" (on) softens the day after it: "ar ddydd Llun", never "ar Dydd Llun".
    deadline = day_long(area(ahead).deadline_day, "cy")
    assert deadline.startswith("Dydd ")
    softened = "ddydd" + deadline[len("Dydd") :]
    assert "Gwnewch gais erbyn 11:59pm ar %s." % softened in text
    assert "ar Dydd" not in text
    # An election's name inside a sentence starts in lower case, as Welsh writes
    # "isetholiad" and "etholiad" there.
    assert "Mae'n rhy hwyr i wneud cais ar gyfer isetholiad " in text
    assert "Apply by" not in text
    assert "Etholiad y Senedd" in text


def test_postcode_errors_keep_what_was_typed(client):
    page = client.post("/elections/", {"postcode": "not a postcode"})
    assert page.status_code == 200
    assert b"Enter a real postcode" in page.content
    assert b'value="not a postcode"' in page.content
    unknown = client.post("/elections/", {"postcode": "ZE9 9ZZ"})
    assert b"We cannot find this postcode" in unknown.content


def test_a_postcode_without_elections_says_so(client, home):
    page = client.post("/elections/", {"postcode": home.postcode})
    assert b"We do not know of any elections coming up" in page.content


def test_check_answers_shows_the_deadlines_for_the_address(client, home, elections):
    ahead, _missed = elections
    page = walk(client, ordinary_answers(home))
    text = page.content.decode()
    assert "Apply by 11:59pm on %s." % day_long(area(ahead).deadline_day) in text
    assert "It is too late to apply for the" in text


def test_confirmation_page_and_email_say_what_the_application_counts_for(
    client, home, elections
):
    ahead, _missed = elections
    mail.outbox.clear()
    submit(client, ordinary_answers(home))
    page = client.get("/register/complete/")
    text = page.content.decode()
    assert "Your application was sent in time for:" in text
    assert "Your application was sent after the deadline for the" in text
    application = Application.objects.get()
    body = build_message(application, "submitted").body
    assert (
        "sent in time for the Senedd election on %s." % day_long(ahead.poll_date)
        in body
    )
    assert "It will not count for that election, but it will count for later" in body


def test_welsh_confirmation_and_email(client, home, elections):
    submit(client, ordinary_answers(home), prefix="/cy")
    page = client.get("/cy/register/complete/")
    assert "Your application was sent" not in page.content.decode()
    application = Application.objects.get()
    assert application.language == "cy"
    body = build_message(application, "submitted").body
    assert "Anfonwyd eich cais mewn pryd ar gyfer etholiad y Senedd ar ddydd " in body
    assert "will not count" not in body
