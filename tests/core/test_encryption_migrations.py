"""The data steps of the migrations that encrypted existing rows: clear dates of birth,
journey details and authenticator secrets become tokens, and reversing gives the
clear values back. Run on the test database's own tables, with the models as the
migration sees them at that step."""

import importlib
import json
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from ier.core import crypto
from ier.ero.models import AuthenticatorDevice
from ier.registration.models import Application, RegisterEntry
from tests.api.factories import create_application, create_officer, two_authorities

pytestmark = pytest.mark.django_db

REGISTRATION = importlib.import_module(
    "ier.registration.migrations.0005_encrypt_dates_of_birth_and_details"
)
ERO = importlib.import_module("ier.ero.migrations.0002_authenticator_device")
EDITOR = SimpleNamespace(connection=connection)
DETAILS = {"passport": {"number": "502135326", "issued": "2019-03-27"}}
OLD_TOTP_TABLE = """
CREATE TABLE otp_totp_totpdevice (
    id %s PRIMARY KEY, user_id integer NOT NULL, name varchar(64) NOT NULL,
    confirmed boolean NOT NULL, key varchar(80) NOT NULL, step smallint NOT NULL,
    t0 bigint NOT NULL, digits smallint NOT NULL, tolerance smallint NOT NULL,
    drift smallint NOT NULL, last_t bigint NOT NULL,
    throttling_failure_timestamp timestamp NULL,
    throttling_failure_count integer NOT NULL,
    created_at timestamp NULL, last_used_at timestamp NULL
)"""


def state_before_encryption():
    """The models as the data step sees them: the columns already plain text."""
    loader = MigrationLoader(connection)
    return loader.project_state(
        ("registration", "0004_dates_of_birth_and_details_as_text")
    ).apps


def column(table: str, name: str, pk: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s FROM %s WHERE id = %%s" % (name, table), [pk])
        return cursor.fetchone()[0]


def store_in_clear(table: str, name: str, pk: int, value: str | None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE %s SET %s = %%s WHERE id = %%s" % (table, name), [value, pk]
        )


@pytest.fixture
def rows_in_clear():
    """An application and a register entry as they were before the migration."""
    authority, _other = two_authorities()
    application = create_application(authority)
    undated = create_application(authority)
    entry = RegisterEntry.objects.create(
        authority=authority, elector_number="AB-1", first_name="Ann", match_key="k"
    )
    table = "registration_application"
    store_in_clear(table, "date_of_birth", application.pk, "1971-06-29")
    store_in_clear(table, "details", application.pk, json.dumps(DETAILS))
    store_in_clear(table, "date_of_birth", undated.pk, None)
    store_in_clear(table, "details", undated.pk, "{}")
    store_in_clear(
        "registration_registerentry", "date_of_birth", entry.pk, "1980-02-03"
    )
    return application, undated, entry


def test_existing_rows_are_encrypted(rows_in_clear):
    application, undated, entry = rows_in_clear
    REGISTRATION.encrypt_rows(state_before_encryption(), EDITOR)

    stored = column("registration_application", "date_of_birth", application.pk)
    assert crypto.decrypt(stored) == "1971-06-29"
    assert "502135326" not in column(
        "registration_application", "details", application.pk
    )
    assert column("registration_application", "date_of_birth", undated.pk) is None
    assert "1980" not in column("registration_registerentry", "date_of_birth", entry.pk)

    read = Application.objects.get(pk=application.pk)
    assert read.date_of_birth == date(1971, 6, 29)
    assert read.details == DETAILS
    assert Application.objects.get(pk=undated.pk).date_of_birth is None
    assert Application.objects.get(pk=undated.pk).details == {}
    assert RegisterEntry.objects.get(pk=entry.pk).date_of_birth == date(1980, 2, 3)


def test_reversing_gives_the_clear_values_back(rows_in_clear):
    application, _undated, entry = rows_in_clear
    apps = state_before_encryption()
    REGISTRATION.encrypt_rows(apps, EDITOR)
    REGISTRATION.decrypt_rows(apps, EDITOR)
    table = "registration_application"
    assert column(table, "date_of_birth", application.pk) == "1971-06-29"
    assert json.loads(column(table, "details", application.pk)) == DETAILS
    assert (
        column("registration_registerentry", "date_of_birth", entry.pk) == "1980-02-03"
    )


def test_authenticator_apps_move_from_the_clear_table_and_back():
    officer = create_officer(two_authorities()[0])
    AuthenticatorDevice.objects.all().delete()
    secret = "3132333435363738393031323334353637383930"
    with connection.cursor() as cursor:
        # As django-otp made it: an id the database numbers.
        serial = "serial" if connection.vendor == "postgresql" else "integer"
        cursor.execute(OLD_TOTP_TABLE % serial)
        cursor.execute(
            "INSERT INTO otp_totp_totpdevice (id, user_id, name, confirmed, key, step,"
            " t0, digits, tolerance, drift, last_t, throttling_failure_count)"
            " VALUES (1, %s, 'phone', %s, %s, 30, 0, 6, 1, 0, 12345, 0)",
            [officer.user.pk, True, secret],
        )
    apps = (
        MigrationLoader(connection)
        .project_state(("ero", "0002_authenticator_device"))
        .apps
    )

    ERO.move_devices_in(apps, EDITOR)
    device = AuthenticatorDevice.objects.get(user=officer.user)
    assert (device.key, device.name, device.confirmed, device.last_t) == (
        secret,
        "phone",
        True,
        12345,
    )
    assert secret not in column("ero_authenticatordevice", "key", device.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM otp_totp_totpdevice")
        assert cursor.fetchone()[0] == 0

    ERO.move_devices_out(apps, EDITOR)
    assert not AuthenticatorDevice.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT user_id, key, last_t FROM otp_totp_totpdevice")
        assert cursor.fetchall() == [(officer.user.pk, secret, 12345)]


def test_without_the_old_table_there_is_nothing_to_move():
    officer = create_officer(two_authorities()[0])
    apps = (
        MigrationLoader(connection)
        .project_state(("ero", "0002_authenticator_device"))
        .apps
    )
    ERO.move_devices_in(apps, EDITOR)
    assert AuthenticatorDevice.objects.filter(user=officer.user).count() == 1
