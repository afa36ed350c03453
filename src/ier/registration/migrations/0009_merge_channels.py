from django.db import migrations


class Migration(migrations.Migration):
    """Joins the three additions of the channels hub, made side by side: the
    channel of an application, moved-out notices, and corrections."""

    dependencies = [
        ("registration", "0008_h20a_channel"),
        ("registration", "0008_h20b_moved_out_notices"),
        ("registration", "0008_h20c_corrections"),
    ]

    operations = []
