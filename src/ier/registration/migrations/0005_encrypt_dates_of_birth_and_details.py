"""Second of three steps: the clear dates of birth and journey details, now text,
are encrypted in place with the field keys, in chunks. Reversing decrypts them."""

from django.db import migrations

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
        rows = model.objects.using(alias).exclude(**{column: None})
        rows = rows.only("pk", column).order_by("pk")
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


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0004_dates_of_birth_and_details_as_text"),
    ]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
