"""Encrypted model fields: the column holds a token, never the value; code reading
the model gets the value back; the database cannot be asked to compare it."""

from datetime import date

import pytest
from django.core import serializers
from django.core.exceptions import FieldError
from django.db import connection

from ier.core import crypto
from ier.ero.models import AuthenticatorDevice
from ier.registration.models import Application, RegisterEntry
from tests.api.factories import create_application, create_officer, two_authorities

pytestmark = pytest.mark.django_db

BORN = date(1971, 6, 29)
PASSPORT = {"passport": {"number": "502135326", "issued": "2019-03-27"}}
SERVICE = {"service_details": {"service_number": "30012345", "rank": "Corporal"}}


def raw(table: str, column: str, pk: int) -> str:
    """The column as stored, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s FROM %s WHERE id = %%s" % (column, table),
            [pk],
        )
        return cursor.fetchone()[0]


def is_token(text: str) -> bool:
    return crypto.decrypt(text) != text


def overseas_application(**fields) -> Application:
    authority, _other = two_authorities()
    return create_application(
        authority, date_of_birth=BORN, journey="overseas", details=PASSPORT, **fields
    )


def test_an_applicants_date_of_birth_is_stored_encrypted_and_read_back():
    application = overseas_application()
    stored = raw("registration_application", "date_of_birth", application.pk)
    assert "1971" not in stored
    assert is_token(stored)
    assert Application.objects.get(pk=application.pk).date_of_birth == BORN


def test_the_passport_number_is_stored_encrypted_and_read_back():
    application = overseas_application()
    stored = raw("registration_application", "details", application.pk)
    assert "502135326" not in stored
    assert "passport" not in stored
    assert Application.objects.get(pk=application.pk).details == PASSPORT


def test_a_service_number_is_stored_encrypted():
    authority, _other = two_authorities()
    application = create_application(authority, journey="forces", details=SERVICE)
    stored = raw("registration_application", "details", application.pk)
    assert "30012345" not in stored
    assert Application.objects.get(pk=application.pk).details == SERVICE


def test_values_and_values_list_give_the_clear_values():
    application = overseas_application()
    row = Application.objects.filter(pk=application.pk).values(
        "date_of_birth", "details"
    )
    assert list(row) == [{"date_of_birth": BORN, "details": PASSPORT}]
    assert list(
        Application.objects.filter(pk=application.pk).values_list(
            "date_of_birth", flat=True
        )
    ) == [BORN]


def test_no_date_of_birth_stays_null():
    application = overseas_application(no_dob_reason="I do not know it")
    Application.objects.filter(pk=application.pk).update(date_of_birth=None)
    assert raw("registration_application", "date_of_birth", application.pk) is None
    assert Application.objects.filter(date_of_birth__isnull=True).count() == 1
    assert Application.objects.get(pk=application.pk).date_of_birth is None


def test_a_register_entrys_date_of_birth_is_stored_encrypted():
    authority, _other = two_authorities()
    entry = RegisterEntry.objects.create(
        authority=authority,
        elector_number="AB-1",
        first_name="Ann",
        last_name="Example",
        date_of_birth=BORN,
        match_key="k" * 64,
    )
    stored = raw("registration_registerentry", "date_of_birth", entry.pk)
    assert "1971" not in stored
    assert RegisterEntry.objects.get(pk=entry.pk).date_of_birth == BORN


def test_register_entries_loaded_in_bulk_are_encrypted():
    authority, _other = two_authorities()
    RegisterEntry.objects.bulk_create(
        RegisterEntry(
            authority=authority,
            elector_number="AB-%d" % n,
            first_name="Ann",
            date_of_birth=BORN,
            match_key="k" * 64,
        )
        for n in range(3)
    )
    for entry in RegisterEntry.objects.all():
        assert "1971" not in raw(
            "registration_registerentry", "date_of_birth", entry.pk
        )
        assert entry.date_of_birth == BORN


def test_comparing_an_encrypted_column_in_the_database_is_refused():
    with pytest.raises(FieldError):
        Application.objects.filter(date_of_birth=BORN)
    with pytest.raises(FieldError):
        Application.objects.filter(date_of_birth__year=1971)
    with pytest.raises(FieldError):
        Application.objects.filter(details__passport__number="502135326")


def test_equal_values_give_different_tokens():
    first, second = overseas_application(), overseas_application()
    assert raw("registration_application", "date_of_birth", first.pk) != raw(
        "registration_application", "date_of_birth", second.pk
    )


def test_an_authenticator_secret_is_stored_encrypted():
    officer = create_officer(two_authorities()[0])
    device = AuthenticatorDevice.objects.get(user=officer.user)
    stored = raw("ero_authenticatordevice", "key", device.pk)
    assert device.key not in stored
    assert len(device.bin_key) == 20
    assert AuthenticatorDevice.objects.get(pk=device.pk).key == device.key


def test_a_serialised_copy_loads_back_to_the_same_values():
    application = overseas_application()
    dumped = serializers.serialize("json", [application])
    (loaded,) = serializers.deserialize("json", dumped)
    assert loaded.object.date_of_birth == BORN
    assert loaded.object.details == PASSPORT
