"""The rules a correction's values are checked by (`ier.registration.corrections`):
the journey's, each refused value with its own message."""

from datetime import date

import pytest

from ier.geography.models import Address
from ier.registration import corrections
from tests.api.factories import two_authorities

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


@pytest.fixture
def authority():
    return two_authorities()[0]


def refused(values, authority) -> dict[str, str]:
    with pytest.raises(corrections.Invalid) as caught:
        corrections.clean(values, authority, TODAY)
    return caught.value.errors


def test_values_come_back_in_their_normal_forms(authority):
    cleaned = corrections.clean(
        {
            "first_name": "  Siân  ",
            "nino": "ab 12 34 56 c",
            "date_of_birth": "1980-03-27",
            "nationalities": ["gb", "IE", "GB"],
            "address_postcode": "aa31ab",
            "middle_names": "",
        },
        authority,
        TODAY,
    )
    assert cleaned == {
        "first_name": "Siân",
        "nino": "AB123456C",
        "date_of_birth": date(1980, 3, 27),
        "nationalities": ["GB", "IE"],
        "address_postcode": "AA3 1AB",
        "middle_names": "",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "1900-01-01", "Date of birth must be after 1910"),
        ("date_of_birth", "2027-01-01", "Date of birth must be in the past"),
        ("date_of_birth", "1980-02-30", "Enter a date of birth as a real date"),
        ("nationalities", [], "Enter a value, or leave the field out"),
        ("nationalities", ["GB"] * 5, "Give between one and four nationalities"),
        ("nationalities", ["XX"], "Give each nationality as a country code"),
        ("nino", "QQ 12 34 56 X", "Enter a National Insurance number"),
        ("first_name", "", "Enter a value, or leave the field out"),
        ("last_name", "Sm1th", "Names must only include letters"),
        ("address_line_1", "x" * 201, "Enter 200 characters or fewer"),
        ("address_uprn", "12ab", "Enter a UPRN of up to 12 digits"),
        ("status", "accepted", "This field cannot be corrected"),
    ],
)
def test_each_rule_refuses_with_its_own_message(authority, field, value, message):
    assert refused({field: value}, authority)[field].startswith(message)


def test_an_optional_field_can_be_emptied(authority):
    cleaned = corrections.clean(
        {"previous_postcode": "", "previous_uprn": None}, authority, TODAY
    )
    assert cleaned == {"previous_postcode": "", "previous_uprn": None}


def test_a_previous_address_by_uprn_may_be_in_another_council(authority):
    elsewhere = Address.objects.filter(synthetic=True).exclude(
        authority_id__in=authority.office_council_ids
    )[0]
    cleaned = corrections.clean({"previous_uprn": elsewhere.uprn}, authority, TODAY)
    assert cleaned["previous_line_1"] == elsewhere.line_1
    assert cleaned["previous_postcode"] == elsewhere.postcode
    assert "address_uprn" in refused({"address_uprn": elsewhere.uprn}, authority)
    assert refused({"address_uprn": 999_999_999_999}, authority) == {
        "address_uprn": "There is no address with this UPRN"
    }
