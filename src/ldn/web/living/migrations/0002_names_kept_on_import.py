from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("living", "0001_living_with_ldn")]

    operations = [
        migrations.AddField(
            model_name="stepdecision",
            name="decided_by_name",
            field=models.CharField(
                blank=True,
                help_text="Who decided, when not linked (an imported row).",
                max_length=150,
            ),
        ),
        migrations.AddField(
            model_name="plannedprocedure",
            name="entered_by_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="plannedprocedure",
            name="confirmed_by_name",
            field=models.CharField(
                blank=True,
                help_text="Who confirmed, when not linked (an imported row).",
                max_length=150,
            ),
        ),
    ]
