import django.db.models.deletion
from django.db import migrations, models

from ier.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    """A check's council is found through the (authority, match_key) index: its
    own index was one more for every submission to write."""

    dependencies = [
        ("geography", "0004_uprn_key_unchecked_foreign_keys"),
        ("verification", "0001_initial"),
    ]

    operations = [
        DropForeignKeyIndex(
            model_name="duplicatecheck",
            name="authority",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="geography.authority",
            ),
        ),
    ]
