"""A poll in one ward (or county division, or constituency) is shown only to the
postcodes the postcode directory places in it; where a postcode has no division
data it is shown council-wide with "only if you live in ...". The same on the
elections page, "check your answers", the confirmation page and email, and the
public API."""

import pytest
from django.core import mail

from ier.elections.upcoming import forget_lookups
from ier.geography.models import Address, PostcodeDivision
from ier.registration.models import Application
from ier.registration.notifications import build_message
from tests.citizen.helpers import an_address, ordinary_answers, submit, walk
from tests.elections.factories import create_election, weeks_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return an_address("England")


@pytest.fixture
def next_door(home):
    """An address in the same council whose postcode is in the other ward."""
    ward = PostcodeDivision.objects.get(postcode=home.postcode).ward_gss
    others = PostcodeDivision.objects.exclude(ward_gss=ward).values("postcode")
    return (
        Address.objects.filter(authority=home.authority, postcode__in=others)
        .select_related("authority")
        .order_by("uprn")
        .first()
    )


@pytest.fixture
def by_election(home):
    ward = PostcodeDivision.objects.get(postcode=home.postcode).ward_gss
    return create_election(
        [home.authority],
        weeks_ahead(6),
        election_id="local.test.rose-hill.2027-01-21",
        division="Rose Hill",
        division_gss=ward,
    )


def lookup(client, address):
    return client.post("/elections/", {"postcode": address.postcode}).content.decode()


def test_a_ward_by_election_is_shown_only_in_its_ward(
    client, home, next_door, by_election
):
    assert next_door is not None and next_door.postcode != home.postcode
    inside = lookup(client, home)
    assert "by-election in Rose Hill" in inside
    # The directory places the postcode in the ward: no caveat needed.
    assert "Only if you live in Rose Hill" not in inside
    outside = lookup(client, next_door)
    assert "Rose Hill" not in outside
    assert "We do not know of any elections coming up" in outside


def test_without_division_data_the_by_election_is_shown_council_wide(
    client, home, next_door, by_election
):
    PostcodeDivision.objects.filter(postcode=next_door.postcode).delete()
    forget_lookups()
    page = lookup(client, next_door)
    assert "by-election in Rose Hill" in page
    assert "Only if you live in Rose Hill." in page


def test_in_welsh_the_caveat_is_welsh_too(client, home, next_door, by_election):
    PostcodeDivision.objects.filter(postcode=next_door.postcode).delete()
    forget_lookups()
    page = client.post("/cy/elections/", {"postcode": next_door.postcode})
    text = page.content.decode()
    assert "Rose Hill" in text
    assert "Only if you live in" not in text


def test_check_answers_confirmation_and_email_follow_the_ward(
    client, home, next_door, by_election
):
    inside = walk(client, ordinary_answers(home)).content.decode()
    assert "by-election in Rose Hill" in inside
    client.cookies.clear()
    outside = walk(client, ordinary_answers(next_door)).content.decode()
    assert "Rose Hill" not in outside

    mail.outbox.clear()
    submit(client, ordinary_answers(next_door))
    assert "Rose Hill" not in client.get("/register/complete/").content.decode()
    application = Application.objects.get()
    assert "Rose Hill" not in build_message(application, "submitted").body

    Application.objects.all().delete()
    client.cookies.clear()
    submit(client, ordinary_answers(home))
    assert "Rose Hill" in client.get("/register/complete/").content.decode()
    assert "Rose Hill" in build_message(Application.objects.get(), "submitted").body


def test_the_public_api_answers_by_the_ward(client, home, next_door, by_election):
    inside = client.get("/api/v1/elections", {"postcode": home.postcode}).json()
    assert [e["election_id"] for e in inside["elections"]] == [by_election.election_id]
    assert inside["elections"][0]["division_gss"] == by_election.division_gss
    outside = client.get("/api/v1/elections", {"postcode": next_door.postcode})
    assert outside.json()["elections"] == []


def test_a_constituency_by_election_is_shown_only_in_the_constituency(
    client, home, next_door
):
    constituency = PostcodeDivision.objects.get(postcode=home.postcode)
    create_election(
        [home.authority],
        weeks_ahead(5),
        election_type="parl",
        election_id="parl.test-constituency.2027-01-14",
        division="Hartlepool North",
        division_gss=constituency.constituency_gss,
    )
    PostcodeDivision.objects.filter(postcode=next_door.postcode).update(
        constituency_gss="E14000999"
    )
    forget_lookups()
    inside = lookup(client, home)
    assert "UK Parliament by-election in Hartlepool North" in inside
    assert "Only if you live in" not in inside
    assert "Hartlepool North" not in lookup(client, next_door)
    welsh = client.post("/cy/elections/", {"postcode": home.postcode})
    assert "Isetholiad Senedd y DU yn Hartlepool North" in welsh.content.decode()
