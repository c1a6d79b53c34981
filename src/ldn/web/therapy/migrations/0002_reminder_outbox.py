"""Reminders become an outbox: the rendered message, a delivery lease, attempts, the last error.

Claims left by the old code without a send time were reminders lost by a worker that died
between claiming and sending; they are removed so the next run composes them again if still due.
"""

from django.db import migrations, models


def drop_lost_claims(apps, schema_editor):
    apps.get_model("therapy", "SentReminder").objects.filter(sent_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("therapy", "0001_initial")]

    operations = [
        migrations.RunPython(drop_lost_claims, migrations.RunPython.noop),
        migrations.AddField(
            model_name="sentreminder",
            name="message_id",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="sentreminder",
            name="recipient",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="sentreminder",
            name="subject",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="sentreminder",
            name="body",
            field=models.TextField(blank=True, help_text="Emptied once sent: it holds a taken link."),
        ),
        migrations.AddField(
            model_name="sentreminder",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="sentreminder",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="sentreminder",
            name="last_error",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
