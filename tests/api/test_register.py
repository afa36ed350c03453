from datetime import date

import pytest
from django.test import override_settings

from ier.registration.models import RegisterEntry
from ier.registration.register import register_match_key
from tests.api.factories import bearer

pytestmark = pytest.mark.django_db

HEADER = (
    "elector_number,first_name,middle_names,last_name,date_of_birth,"
    "address_line_1,address_line_2,town,postcode,uprn\n"
)


def upload(client, secret, text, content_type="text/csv"):
    return client.put(
        "/api/v1/register", text.encode(), content_type=content_type, **bearer(secret)
    )


def test_replaces_entries_with_shared_match_key(client, authority, secret):
    upload(client, secret, HEADER + "A1,Old,,Entry,,,,,,\n")
    body = HEADER + (
        "A1,Siân,Mair,O'Brien,1985-02-14,1 High St,,Town,ab1 2cd,100\n"
        "A2,Tom,,Jones,,2 High St,,Town,AB1 2CD,\n"
    )
    response = upload(client, secret, body)
    assert response.status_code == 200
    assert response.json() == {"entries": 2, "replaced": 1}
    entry = RegisterEntry.objects.for_authority(authority).get(elector_number="A1")
    assert entry.uprn == 100
    assert entry.match_key == register_match_key(
        "SIAN", "OBrien", date(1985, 2, 14), "AB12CD"
    )


def test_a_bad_line_changes_nothing(client, authority, secret):
    upload(client, secret, HEADER + "A1,Kept,,Entry,,,,,,\n")
    response = upload(
        client, secret, HEADER + "A2,Ann,,X,,,,,,\nA3,Bob,,Y,14/02/1985,,,,,\n"
    )
    assert response.status_code == 422
    assert response.json()["line"] == 3
    kept = RegisterEntry.objects.for_authority(authority).values_list(
        "first_name", flat=True
    )
    assert list(kept) == ["Kept"]


def test_names_follow_the_citizen_rules(client, authority, secret):
    """A joiner inside a Persian name is kept; stacked accents are refused by line."""
    persian = HEADER + "A1,علی\u200cرضا,,Ahmadi,,,,,,\n"
    assert upload(client, secret, persian).json() == {"entries": 1, "replaced": 0}
    stacked = HEADER + "A1,Ann,,X,,,,,,\nA2,Bob,,Y\u0301\u0301\u0301\u0301,,,,,,\n"
    response = upload(client, secret, stacked)
    assert response.status_code == 422
    assert response.json()["line"] == 3
    assert "surname" in response.json()["detail"]


def test_duplicate_elector_number_is_422(client, secret):
    response = upload(client, secret, HEADER + "A1,Ann,,X,,,,,,\nA1,Bob,,Y,,,,,,\n")
    assert response.status_code == 422
    assert "appears twice" in response.json()["detail"]


def test_wrong_header_is_400(client, secret):
    response = upload(client, secret, "name,dob\nAnn,1980-01-01\n")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_header"


def test_not_utf8_is_400(client, secret):
    response = client.put(
        "/api/v1/register",
        HEADER.encode() + b"A1,\xff\xfe,,,,,,,,\n",
        content_type="text/csv",
        **bearer(secret),
    )
    assert response.status_code == 400


def test_wrong_media_type_is_415(client, secret):
    assert (
        upload(client, secret, "{}", content_type="application/json").status_code == 415
    )


@override_settings(EMS_REGISTER_MAX_BYTES=100)
def test_too_large_is_413_before_reading(client, authority, secret):
    response = upload(client, secret, HEADER + "A1,Ann,,X,,,,,,\n" * 10)
    assert response.status_code == 413
    assert not RegisterEntry.objects.for_authority(authority).exists()


def test_counts_include_register_entries(client, secret):
    upload(client, secret, HEADER + "A1,Ann,,X,,,,,,\n")
    assert (
        client.get("/api/v1/counts", **bearer(secret)).json()["register_entries"] == 1
    )


def test_the_register_columns_of_import_register_are_accepted_too(
    client, authority, secret
):
    """One vocabulary for both doors (R.csv's names); the API's first names for
    two columns (elector_number, last_name) stay accepted, and uprn may be left out."""
    header = (
        "elector_id,first_name,middle_names,surname,date_of_birth,"
        "address_line_1,address_line_2,town,postcode\n"
    )
    response = upload(client, secret, header + "A9,Ann,,Jones,,,,,AB1 2CD\n")
    assert response.status_code == 200, response.content
    entry = RegisterEntry.objects.for_authority(authority).get(elector_number="A9")
    assert (entry.last_name, entry.uprn) == ("Jones", None)
