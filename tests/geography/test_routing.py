"""Routing an application to the right council: by the chosen address, or for an
address typed in by hand by the postcode directory, asking the person where the
postcode lies in more than one council."""

import pytest

from ier.geography.models import Address, Authority
from ier.geography.seeding import crossing_postcodes, empty_postcodes
from ier.registration.models import Application
from tests.citizen.helpers import CHECK_ANSWERS, ordinary_answers, walk

pytestmark = pytest.mark.django_db

AFTER_ADDRESS = ("moved", "other-address", "open-register", "postal-vote", "contact")


def at_postcode(postcode):
    """An answer set for someone whose postcode is `postcode`, routed by one of the
    councils it lies in (for the questions asked before the address)."""
    council = Authority.objects.filter(postcode_areas__postcode=postcode).first()
    home = Address.objects.filter(authority=council, synthetic=True).first()
    answers = ordinary_answers(home)
    answers["address"] = {"postcode": postcode}
    return answers, council


def type_in_address(client, answers, manual):
    walk(client, answers, stop_at="address-select")
    page = client.get("/register/address-manual/")
    response = client.post("/register/address-manual/", manual)
    return page, response


def finish(client, answers):
    for slug in AFTER_ADDRESS:
        response = client.post("/register/%s/" % slug, answers[slug])
    assert response["Location"] == CHECK_ANSWERS
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    return Application.objects.get()


def test_at_a_crossing_postcode_the_chosen_address_decides_the_council(client):
    postcode = crossing_postcodes()[0]
    answers, first_council = at_postcode(postcode)
    address = Address.objects.filter(postcode=postcode).exclude(
        authority=first_council
    )[0]
    answers["address-select"] = {"uprn": str(address.uprn)}
    walk(client, answers)
    client.post(CHECK_ANSWERS, {"declaration": "on"})
    assert Application.objects.get().authority == address.authority != first_council


def test_a_typed_in_address_at_a_crossing_postcode_asks_which_council(client):
    postcode = crossing_postcodes()[0]
    answers, _ = at_postcode(postcode)
    councils = Authority.objects.filter(postcode_areas__postcode=postcode).distinct()
    page, response = type_in_address(
        client, answers, {"line_1": "The Barn", "town": "Somewhere"}
    )
    text = page.content.decode()
    assert "Which council area is this address in?" in text
    for council in councils:
        assert council.name in text
    assert response.status_code == 200
    assert "Select which council area this address is in" in response.content.decode()
    assert 'value="The Barn"' in response.content.decode()

    chosen = councils.order_by("-gss_code").first()
    response = client.post(
        "/register/address-manual/",
        {"line_1": "The Barn", "town": "Somewhere", "authority": chosen.gss_code},
    )
    assert response.status_code == 302
    application = finish(client, answers)
    assert application.authority == chosen
    assert application.address_manual is True


def test_a_council_not_at_the_postcode_cannot_be_chosen(client):
    postcode = crossing_postcodes()[0]
    answers, _ = at_postcode(postcode)
    elsewhere = Authority.objects.exclude(postcode_areas__postcode=postcode).first()
    _, response = type_in_address(
        client,
        answers,
        {"line_1": "The Barn", "town": "Somewhere", "authority": elsewhere.gss_code},
    )
    assert response.status_code == 200
    assert "Select which council area this address is in" in response.content.decode()


def test_a_typed_in_address_at_a_postcode_in_one_council_is_not_asked(client):
    postcode = empty_postcodes()[0]
    answers, council = at_postcode(postcode)
    page, response = type_in_address(
        client, answers, {"line_1": "Plot 4", "town": "Newtown"}
    )
    assert "Which council area" not in page.content.decode()
    assert response.status_code == 302
    assert finish(client, answers).authority == council


def test_a_postcode_with_no_addresses_offers_to_type_the_address_in(client):
    postcode = empty_postcodes()[0]
    answers, _ = at_postcode(postcode)
    page = walk(client, answers, stop_at="address-select")
    assert "/register/address-manual/" in page.content.decode()
