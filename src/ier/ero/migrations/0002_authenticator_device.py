"""Authenticator apps move from django-otp's TOTP table, where the secret was kept in
clear, to ero_authenticatordevice, where it is encrypted with the field keys.

The old table belongs to an app no longer installed: it is read with plain SQL when
it exists and left empty. Reversing moves the devices back when the table exists."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import ier.core.fields
import ier.ero.models

SELECT_OLD = (
    "SELECT user_id, key, name, confirmed, step, t0, digits, tolerance, drift, last_t"
    " FROM otp_totp_totpdevice ORDER BY id"
)
INSERT_OLD = (
    "INSERT INTO otp_totp_totpdevice (user_id, key, name, confirmed, step, t0,"
    " digits, tolerance, drift, last_t, throttling_failure_count)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0)"
)
COLUMNS = [
    "user_id",
    "key",
    "name",
    "confirmed",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
]


def _old_table_exists(connection) -> bool:
    return "otp_totp_totpdevice" in connection.introspection.table_names()


def move_devices_in(apps, schema_editor):
    connection = schema_editor.connection
    if not _old_table_exists(connection):
        return
    device = apps.get_model("ero", "AuthenticatorDevice")
    with connection.cursor() as cursor:
        cursor.execute(SELECT_OLD)
        rows = cursor.fetchall()
        device.objects.using(connection.alias).bulk_create(
            device(**dict(zip(COLUMNS, row, strict=True))) for row in rows
        )
        cursor.execute("DELETE FROM otp_totp_totpdevice")


def move_devices_out(apps, schema_editor):
    connection = schema_editor.connection
    if not _old_table_exists(connection):
        return
    device = apps.get_model("ero", "AuthenticatorDevice")
    rows = [
        tuple(getattr(d, name) for name in COLUMNS)
        for d in device.objects.using(connection.alias).order_by("pk")
    ]
    with connection.cursor() as cursor:
        cursor.executemany(INSERT_OLD, rows)
    device.objects.using(connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ero", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuthenticatorDevice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The human-readable name of this device.",
                        max_length=64,
                    ),
                ),
                (
                    "confirmed",
                    models.BooleanField(
                        default=True, help_text="Is this device ready for use?"
                    ),
                ),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text=(
                            "A timestamp of the last failed verification attempt. "
                            "Null if last attempt succeeded."
                        ),
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(
                        default=0, help_text="Number of successive failed attempts."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text=(
                            "The date and time when this device was initially "
                            "created in the system."
                        ),
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="The most recent date and time this device was used.",
                        null=True,
                    ),
                ),
                (
                    "key",
                    ier.core.fields.EncryptedTextField(
                        default=ier.ero.models.new_authenticator_key
                    ),
                ),
                ("step", models.PositiveSmallIntegerField(default=30)),
                ("t0", models.BigIntegerField(default=0)),
                ("digits", models.PositiveSmallIntegerField(default=6)),
                ("tolerance", models.PositiveSmallIntegerField(default=1)),
                ("drift", models.SmallIntegerField(default=0)),
                ("last_t", models.BigIntegerField(default=-1)),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "authenticator app",
                "abstract": False,
            },
        ),
        migrations.RunPython(move_devices_in, move_devices_out),
    ]
