"""Overseas, forces and Crown servant applicants are told which coming elections
their application counts for, as ordinary applicants are: on "check your answers",
the confirmation page and the email, in English and Welsh. Overseas electors vote
only in UK Parliament elections (RPA 1985 s.1); service voters (forces and Crown
servants) vote in every election at their qualifying address, as residents do."""

import pytest
from django.core import mail

from ier.registration.models import Application
from ier.registration.notifications import build_message
from tests.citizen.helpers import an_address, submit, walk
from tests.citizen.test_overseas_journey import overseas_answers
from tests.citizen.test_service_journeys import service_answers
from tests.elections.factories import create_election, weeks_ahead

pytestmark = pytest.mark.django_db

OVERSEAS_ONLY = "As a British citizen living abroad, you can vote only in UK Parliament"


@pytest.fixture
def home():
    return an_address("Wales")


@pytest.fixture
def elections(home):
    """A Senedd election and a UK Parliament by-election at the address."""
    senedd = create_election([home.authority], weeks_ahead(7), election_type="senedd")
    parl = create_election(
        [home.authority],
        weeks_ahead(6),
        election_type="parl",
        election_id="parl.test-by-election.2027-01-21",
        division="Cardiff East",
    )
    return senedd, parl


def sent_pages(client, answers, kind, prefix=""):
    mail.outbox.clear()
    check = walk(client, answers, prefix, kind=kind).content.decode()
    submit(client, answers, prefix, kind=kind)
    complete = client.get(prefix + "/register/complete/").content.decode()
    email = build_message(Application.objects.get(), "submitted").body
    return check, complete, email


def test_overseas_electors_are_told_only_of_uk_parliament_elections(
    client, home, elections
):
    check, complete, email = sent_pages(client, overseas_answers(home), "overseas")
    for page in (check, complete, email):
        assert "UK Parliament by-election in Cardiff East" in page
        assert "Senedd election" not in page
    assert "Apply by 11:59pm on" in check
    assert OVERSEAS_ONLY in check
    assert "Your application was sent in time for" in complete


def test_overseas_in_welsh(client, home, elections):
    check, complete, email = sent_pages(
        client, overseas_answers(home), "overseas", prefix="/cy"
    )
    for page in (check, complete):
        assert "Isetholiad Senedd y DU yn Cardiff East" in page
    # Inside the email's sentence the name starts in lower case.
    assert "ar gyfer isetholiad Senedd y DU yn Cardiff East" in email
    for page in (check, complete, email):
        assert "tholiad y Senedd" not in page
        assert "UK Parliament" not in page
        assert OVERSEAS_ONLY not in page
    assert "dim ond mewn etholiadau Senedd y DU y gallwch bleidleisio" in check


@pytest.mark.parametrize("kind", ["forces", "crown"])
def test_service_voters_are_told_of_every_election_at_their_address(
    client, home, elections, kind
):
    check, complete, email = sent_pages(client, service_answers(kind, home), kind)
    for page in (check, complete, email):
        assert "UK Parliament by-election in Cardiff East" in page
        assert "Senedd election" in page
    assert OVERSEAS_ONLY not in check


def test_service_voters_in_welsh(client, home, elections):
    check, complete, email = sent_pages(
        client, service_answers("forces", home), "forces", prefix="/cy"
    )
    for page in (check, complete):
        assert "Etholiad y Senedd" in page
    assert "ar gyfer etholiad y Senedd" in email
    for page in (check, complete, email):
        assert "Senedd election" not in page
