"""A planned procedure links the plan version whose pause it made; who gave the instruction may
be empty (not recorded) for the pauses migrated in 0004 from the older 'Pause before surgery'.

Schema only: on PostgreSQL the deferred index and constraint SQL of a schema change must not run
in the same transaction as the data migration's inserts (0004)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("living", "0002_names_kept_on_import"),
        ("therapy", "0002_reminder_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="plannedprocedure",
            name="plan_version",
            field=models.ForeignKey(
                blank=True,
                help_text="The plan version whose pause this instruction made.",
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="+",
                to="therapy.planversion",
            ),
        ),
        migrations.AlterField(
            model_name="plannedprocedure",
            name="instructed_by",
            field=models.CharField(
                blank=True,
                help_text="Empty: not recorded (an older 'Pause before surgery').",
                max_length=120,
            ),
        ),
    ]
