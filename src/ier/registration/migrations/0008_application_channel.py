from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0005_contact_set_in_the_portal"),
        ("registration", "0007_indexes_covered_by_composites"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="channel",
            field=models.CharField(
                choices=[
                    ("online", "Online"),
                    ("paper", "Paper form"),
                    ("phone", "Phone"),
                    ("in_person", "In person"),
                ],
                db_default="online",
                default="online",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="council_reference",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=40
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(("council_reference", ""), _negated=True),
                fields=("authority", "council_reference"),
                name="unique_council_reference",
            ),
        ),
    ]
