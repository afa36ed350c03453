"""Addresses in the order a person expects, and written as a person writes them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ier.citizen.addressing import addresses_at, authorities_for_postcode
from ier.geography.addresses import address_lines, number_range, sort_key, tidy
from ier.geography.models import Address, AreaSource, Authority, PostcodeArea
from ier.geography.seeding import crossing_postcodes, empty_postcodes, seed_country
from ier.geography.synthetic import SyntheticCountry


def test_houses_sort_by_number_as_a_number_then_suffix():
    keys = {
        "10": sort_key("High Street", "10"),
        "2": sort_key("High Street", "2"),
        "2A": sort_key("High Street", "2", "A"),
        "9": sort_key("High Street", "9"),
    }
    assert sorted(keys, key=keys.get) == ["2", "2A", "9", "10"]


def test_flats_sort_within_their_building_by_number_whether_numbered_or_named():
    building = ("Station Road", "4", "", "Rose Court")
    flats = {
        "Flat 10": sort_key(*building, sao_text="FLAT 10"),
        "Flat 2": sort_key(*building, sao_text="FLAT 2"),
        "1": sort_key(*building, sao_number="1"),
        "Basement flat": sort_key(*building, sao_text="BASEMENT FLAT"),
    }
    assert sorted(flats, key=flats.get) == ["Basement flat", "1", "Flat 2", "Flat 10"]


def test_a_building_sorts_among_the_houses_of_its_street_by_its_number():
    keys = {
        "3": sort_key("Station Road", "3"),
        "Flat 1, 4": sort_key(
            "Station Road", "4", pao_text="Rose Court", sao_text="Flat 1"
        ),
        "5": sort_key("Station Road", "5"),
        "Mill House": sort_key("Station Road", pao_text="Mill House"),
    }
    assert sorted(keys, key=keys.get) == ["Mill House", "3", "Flat 1, 4", "5"]


def test_a_street_sorts_before_a_longer_street_it_starts():
    assert sort_key("Park", "99") < sort_key("Park Road", "1")


@given(st.lists(st.integers(min_value=1, max_value=99999), min_size=2, max_size=30))
def test_any_house_numbers_sort_as_numbers(numbers):
    ordered = sorted(numbers, key=lambda n: sort_key("Long Lane", str(n)))
    assert ordered == sorted(numbers)


@given(st.lists(st.integers(min_value=1, max_value=9999), min_size=2, max_size=30))
def test_any_flat_numbers_sort_as_numbers(numbers):
    ordered = sorted(
        numbers, key=lambda n: sort_key("Long Lane", "1", sao_text="Flat %d" % n)
    )
    assert ordered == sorted(numbers)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FLAT 2", "Flat 2"),
        ("12A HIGH STREET", "12A High Street"),
        ("NEWCASTLE UPON TYNE", "Newcastle upon Tyne"),
        ("STRATFORD-UPON-AVON", "Stratford-upon-Avon"),
        ("BETWS-Y-COED", "Betws-y-Coed"),
        ("MCDONALD ROAD", "McDonald Road"),
        ("O'NEILL COURT", "O'Neill Court"),
        ("Already Mixed Case", "Already Mixed Case"),
        ("  SPACED   OUT  ", "Spaced Out"),
    ],
)
def test_addressbase_capitals_are_written_as_a_person_writes_them(text, expected):
    assert tidy(text) == expected


def test_number_ranges():
    assert number_range("12") == "12"
    assert number_range("12", "A") == "12A"
    assert number_range("12", "", "14") == "12-14"
    assert number_range("") == ""


def test_address_parts_fill_three_lines_and_keep_every_part():
    assert address_lines(["Flat 2", "", "4 High Street"]) == [
        "Flat 2",
        "4 High Street",
        "",
    ]
    assert address_lines(["A", "B", "C", "D"]) == ["A", "B", "C, D"]


def test_the_synthetic_country_is_the_same_every_time():
    def rows(seed):
        country = SyntheticCountry(seed=seed, postcodes_per_authority=3)
        council = {
            "gss_code": "E06000001",
            "name": "Hartlepool",
            "nation": "England",
            "postcode": "TS24 8AY",
        }
        return list(country.addresses_for(council, 0))

    assert rows(5) == rows(5)
    assert rows(5) != rows(6)


@pytest.mark.django_db
def test_the_synthetic_country_has_crossing_postcodes_and_postcodes_without_addresses():
    crossing = crossing_postcodes()
    empty = empty_postcodes()
    assert crossing and empty
    councils = authorities_for_postcode(crossing[0])
    assert len(councils) == 2
    at = addresses_at(crossing[0])
    assert {a.authority for a in at} == set(councils)
    assert authorities_for_postcode(empty[0])
    assert addresses_at(empty[0]) == []


@pytest.mark.django_db
def test_synthetic_flats_are_listed_in_number_order_within_their_building():
    postcode = (
        Address.objects.filter(synthetic=True, line_1="Flat 10")
        .values_list("postcode", flat=True)
        .first()
    )
    flats: dict[str, list[int]] = {}
    for address in addresses_at(postcode):
        if address.line_1.startswith("Flat "):
            flats.setdefault(address.line_2, []).append(int(address.line_1[5:]))
    assert flats
    for numbers in flats.values():
        assert numbers == sorted(numbers)
        assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.django_db
def test_seeding_again_replaces_the_synthetic_country():
    before = Address.objects.filter(synthetic=True).count()
    assert seed_country(seed=7, postcodes_per_authority=2) == before
    assert Address.objects.filter(synthetic=True).count() == before
    assert PostcodeArea.objects.filter(
        source=AreaSource.SYNTHETIC, synthetic=True
    ).exists()


@pytest.mark.django_db
def test_every_synthetic_postcode_has_a_ward_and_a_constituency():
    """So a ward by-election can be seen to cover some of a council's postcodes
    and not others in the demo."""
    from ier.geography.models import PostcodeDivision

    synthetic = set(
        PostcodeArea.objects.filter(synthetic=True).values_list("postcode", flat=True)
    )
    divisions = PostcodeDivision.objects.filter(synthetic=True)
    assert set(divisions.values_list("postcode", flat=True)) == synthetic
    assert all(len(d.ward_gss) == len(d.constituency_gss) == 9 for d in divisions)
    assert all(d.ward_gss[:3] in {"E05", "W05", "S13"} for d in divisions)
    assert all(d.constituency_gss[:3] in {"E14", "W07", "S14"} for d in divisions)
    council = Authority.objects.get(gss_code="E06000001")
    wards = set(
        divisions.filter(
            postcode__in=PostcodeArea.objects.filter(authority=council).values(
                "postcode"
            )
        ).values_list("ward_gss", flat=True)
    )
    assert len(wards) == 2
