from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clinic", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="patientflags",
            name="missed_doses",
            field=models.PositiveSmallIntegerField(default=0, help_text="Logged as skipped."),
        ),
        migrations.AddField(
            model_name="patientflags",
            name="unlogged_nights",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="Due, but nothing logged: not known to be missed."
            ),
        ),
        migrations.AddField(
            model_name="patientflags",
            name="has_item9",
            field=models.BooleanField(default=False),
        ),
    ]
