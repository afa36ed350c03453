"""Dates of birth (applications and the register copy) and each application's
journey details (passport, service and staff numbers...) encrypted with the field
keys.

Each column becomes text first, so the clear values survive the change of type
(PostgreSQL casts date and jsonb to their text form); rows are then encrypted in
place, in chunks; the last step only tells Django the columns are now encrypted.
Reversing decrypts and casts back."""

from django.db import migrations, models

import ier.core.fields
from ier.core import crypto

CHUNK = 1000
COLUMNS = [
    ("Application", "date_of_birth"),
    ("Application", "details"),
    ("RegisterEntry", "date_of_birth"),
]


def _convert(apps, alias, change) -> None:
    for model_name, column in COLUMNS:
        model = apps.get_model("registration", model_name)
        rows = model.objects.using(alias).exclude(**{column: None}).order_by("pk")
        last_pk = 0
        while batch := list(rows.filter(pk__gt=last_pk)[:CHUNK]):
            for row in batch:
                setattr(row, column, change(getattr(row, column)))
            model.objects.using(alias).bulk_update(batch, [column])
            last_pk = batch[-1].pk


def encrypt_rows(apps, schema_editor):
    _convert(apps, schema_editor.connection.alias, crypto.encrypt)


def decrypt_rows(apps, schema_editor):
    _convert(apps, schema_editor.connection.alias, crypto.decrypt)


def _as_text(model_name, column, **options):
    return migrations.AlterField(
        model_name=model_name.lower(),
        name=column,
        field=models.TextField(**options),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0003_lean_indexes"),
    ]

    operations = [
        _as_text("Application", "date_of_birth", null=True, blank=True),
        _as_text("Application", "details", default="{}", blank=True),
        _as_text("RegisterEntry", "date_of_birth", null=True, blank=True),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.AlterField(
            model_name="application",
            name="date_of_birth",
            field=ier.core.fields.EncryptedDateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="application",
            name="details",
            field=ier.core.fields.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="registerentry",
            name="date_of_birth",
            field=ier.core.fields.EncryptedDateField(blank=True, null=True),
        ),
    ]
