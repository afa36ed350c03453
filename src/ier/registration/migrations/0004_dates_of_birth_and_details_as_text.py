"""First of three steps encrypting dates of birth (applications and the register
copy) and each application's journey details (passport, service and staff numbers):
the columns become text, so the clear values survive the change of type
(PostgreSQL casts date and jsonb to their text form, and back when reversed).

Three migrations, not one: PostgreSQL refuses to alter a table in the transaction
that has just updated its rows ("pending trigger events")."""

from django.db import migrations, models


def _as_text(model_name, column, **options):
    return migrations.AlterField(
        model_name=model_name, name=column, field=models.TextField(**options)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0003_lean_indexes"),
    ]

    operations = [
        _as_text("application", "date_of_birth", null=True, blank=True),
        _as_text("application", "details", default="{}", blank=True),
        _as_text("registerentry", "date_of_birth", null=True, blank=True),
    ]
