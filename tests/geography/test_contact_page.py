"""The public "contact your electoral registration office" page, found by postcode."""

import pytest

from ier.geography.models import Address, Authority, Nation, PostcodeArea
from ier.geography.seeding import crossing_postcodes, empty_postcodes

pytestmark = pytest.mark.django_db

URL = "/contact-your-council/"


def a_postcode(nation):
    return (
        Address.objects.filter(synthetic=True, authority__nation=nation)
        .order_by("uprn")
        .values_list("postcode", flat=True)
        .first()
    )


def test_the_page_asks_for_a_postcode(client):
    page = client.get(URL)
    assert page.status_code == 200
    assert "Contact your electoral registration office" in page.content.decode()


def test_a_postcode_shows_its_councils_electoral_services(client):
    address = Address.objects.filter(
        synthetic=True, authority__nation=Nation.WALES
    ).first()
    council = address.authority
    page = client.post(URL, {"postcode": address.postcode.lower().replace(" ", "")})
    text = page.content.decode()
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Your electoral registration office</h1>' in text
    assert council.name in text
    assert council.email in text


def test_a_scottish_postcode_shows_the_office_that_serves_the_council(client):
    council = Authority.objects.get(gss_code="S12000014")  # Falkirk
    PostcodeArea.objects.create(postcode="FK1 1AA", authority=council)
    text = client.post(URL, {"postcode": "FK1 1AA"}).content.decode()
    assert (
        "Registration for this council is run by Central Scotland Valuation Joint Board"
        in text
    )
    assert "registration@centralscotland-vjb.gov.uk" in text


def test_the_scottish_office_serves_several_councils():
    office = Authority.objects.get(gss_code="S12000014").registration_office
    served = set(office.councils.values_list("gss_code", flat=True))
    assert served == {"S12000005", "S12000014", "S12000030"}


def test_a_postcode_crossing_a_boundary_shows_every_council(client):
    postcode = crossing_postcodes()[0]
    councils = Authority.objects.filter(postcode_areas__postcode=postcode).distinct()
    text = client.post(URL, {"postcode": postcode}).content.decode()
    assert "Your electoral registration offices" in text
    assert "more than one council area" in text
    for council in councils:
        assert council.name in text


def test_a_postcode_without_addresses_still_finds_its_council(client):
    postcode = empty_postcodes()[0]
    council = Authority.objects.filter(postcode_areas__postcode=postcode).get()
    assert council.name in client.post(URL, {"postcode": postcode}).content.decode()


def test_northern_ireland_shows_the_electoral_office(client):
    eoni = Authority.objects.get(gss_code="N92000002")
    PostcodeArea.objects.create(postcode="BT1 1ER", authority=eoni)
    text = client.post(URL, {"postcode": "bt11er"}).content.decode()
    assert "Electoral Office for Northern Ireland" in text
    assert "info@eoni.org.uk" in text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a postcode"),
        ("not a postcode", "Enter a real postcode, like SW1A 1AA"),
        ("AB99 9ZZ", "We cannot find this postcode"),
    ],
)
def test_mistakes_are_explained_and_what_was_typed_is_kept(client, typed, message):
    page = client.post(URL, {"postcode": typed})
    text = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error: Contact your electoral registration office" in text
    assert message in text
    assert 'value="%s"' % typed in text or not typed


def test_the_page_has_a_welsh_twin(client):
    page = client.get("/cy/contact-your-council/")
    assert page.status_code == 200
    assert 'lang="cy"' in page.content.decode()


def test_the_postcode_is_not_put_in_the_address_bar(client):
    page = client.get(URL)
    assert 'method="post"' in page.content.decode()


def test_the_welsh_page_names_a_welsh_council_in_welsh(client):
    address = Address.objects.filter(
        synthetic=True, authority__gss_code="W06000015"
    ).first()
    text = client.post(
        "/cy/contact-your-council/", {"postcode": address.postcode}
    ).content.decode()
    assert "Cyngor Caerdydd" in text
