"""Last of three steps: the columns, now holding tokens, are read and written through
the encrypted fields. No change to the tables."""

from django.db import migrations

import ier.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0005_encrypt_dates_of_birth_and_details"),
    ]

    operations = [
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
