import django.db.models.deletion
from django.db import migrations, models

from ier.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    """Two indexes every submission wrote and no query needs: an application's
    council and an event's application are found through the composite indexes
    that begin with them."""

    dependencies = [
        ("geography", "0004_uprn_key_unchecked_foreign_keys"),
        ("registration", "0006_encrypted_fields"),
    ]

    operations = [
        DropForeignKeyIndex(
            model_name="application",
            name="authority",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="geography.authority",
            ),
        ),
        DropForeignKeyIndex(
            model_name="applicationevent",
            name="application",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="registration.application",
            ),
        ),
    ]
