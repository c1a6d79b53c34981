"""One surgery feature: the planned procedure with the prescriber's instruction.

Before, two features existed: therapy's "Pause before surgery" (a plan version whose pause was
named "surgery on YYYY-MM-DD", started the sources' 3 days before, no instruction recorded) and
living's PlannedProcedure (the instruction as given; reminders paused by a separate check). Now a
procedure makes its plan pause (`plan_version`), and the plan's pause is the one place that
stops doses, reminders and the calendar feed. This migration loses nothing:

1. Every therapy surgery pause becomes a PlannedProcedure linked to the version that made it:
   procedure day from the pause's name, last dose the day before the pause, restart the day
   after its end (if resumed), entered by that version's author at its time, the instruction
   saying that none was recorded. The plan versions themselves are not changed.
2. Every living procedure still ahead (restart not passed) gets the pause it used to make by
   the separate check: a new plan version (author: who entered it) pausing from the day after
   the last dose to the day before the restart. One that would overlap an existing pause is
   left unlinked (the existing pause already stops those doses). Past ones are left as they are.
   "Still ahead" is judged on each patient's own today (their time zone), as the app does.
"""

import datetime as dt
import re
import zoneinfo

from django.db import migrations
from django.utils import timezone

SURGERY = re.compile(r"^surgery on (\d{4}-\d{2}-\d{2})$")


def _overlaps(a_start, a_end, b_start, b_end):
    return a_start <= (b_end or dt.date.max) and b_start <= (a_end or dt.date.max)


def therapy_pauses_to_procedures(apps, schema_editor):
    PlanVersion = apps.get_model("therapy", "PlanVersion")
    PlannedProcedure = apps.get_model("living", "PlannedProcedure")
    seen = {}  # (patient, start, reason) -> [first version, last end]
    for version in PlanVersion.objects.order_by("patient_id", "number"):
        for pause in version.pauses or []:
            match = SURGERY.match(pause.get("reason", ""))
            if not match:
                continue
            key = (version.patient_id, pause["start"], pause["reason"])
            if key not in seen:
                seen[key] = [version, pause.get("end")]
            else:
                seen[key][1] = pause.get("end")
    for (patient_id, start, reason), (version, end) in seen.items():
        if PlannedProcedure.objects.filter(patient_id=patient_id, plan_version=version).exists():
            continue
        surgery = dt.date.fromisoformat(SURGERY.match(reason).group(1))
        first_paused = dt.date.fromisoformat(start)
        days = (surgery - first_paused).days
        PlannedProcedure.objects.create(
            patient_id=patient_id,
            procedure_day=surgery,
            description="Surgery or procedure",
            instruction=(
                "No prescriber's instruction was recorded: this pause was made with the earlier "
                f"“Pause before surgery”, which stopped LDN {days} days before the procedure "
                "(the longest stopping interval in the sources)."
            ),
            instructed_by="",
            last_dose_day=first_paused - dt.timedelta(days=1),
            restart_day=dt.date.fromisoformat(end) + dt.timedelta(days=1) if end else None,
            entered_by_id=version.author_id,
            entered_by_name=version.author_name,
            plan_version=version,
            created_at=version.created_at,
        )


def living_procedures_to_plan_pauses(apps, schema_editor):
    PlanVersion = apps.get_model("therapy", "PlanVersion")
    PlannedProcedure = apps.get_model("living", "PlannedProcedure")
    PatientProfile = apps.get_model("accounts", "PatientProfile")
    zones = dict(PatientProfile.objects.values_list("user_id", "time_zone"))
    moment = timezone.now()
    unlinked = PlannedProcedure.objects.filter(plan_version__isnull=True)
    for procedure in unlinked.order_by("patient_id", "procedure_day", "pk"):
        zone = zoneinfo.ZoneInfo(zones.get(procedure.patient_id) or "UTC")
        today = moment.astimezone(zone).date()
        if procedure.restart_day is not None and procedure.restart_day <= today:
            continue  # past: left as it is
        current = (
            PlanVersion.objects.filter(patient_id=procedure.patient_id).order_by("-number").first()
        )
        if current is None:
            continue  # no plan: nothing was ever due
        start = procedure.last_dose_day + dt.timedelta(days=1)
        end = procedure.restart_day - dt.timedelta(days=1) if procedure.restart_day else None
        pauses = list(current.pauses or [])
        if any(
            _overlaps(
                start,
                end,
                dt.date.fromisoformat(p["start"]),
                dt.date.fromisoformat(p["end"]) if p.get("end") else None,
            )
            for p in pauses
        ):
            continue
        pauses.append(
            {
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
                "reason": f"{procedure.description} on {procedure.procedure_day:%-d %B %Y}",
            }
        )
        pauses.sort(key=lambda p: p["start"])
        author_name = (
            procedure.entered_by.username if procedure.entered_by_id else procedure.entered_by_name
        ) or "unknown"
        procedure.plan_version = PlanVersion.objects.create(
            patient_id=procedure.patient_id,
            number=current.number + 1,
            name=current.name,
            start=current.start,
            steps=current.steps,
            pauses=pauses,
            author_id=procedure.entered_by_id,
            author_name=author_name,
            reason=(
                f"Paused for {procedure.description} on {procedure.procedure_day:%-d %B %Y}: "
                f"the instruction of {procedure.instructed_by}, entered on "
                f"{procedure.created_at:%-d %B %Y} (its pause moved into the plan when the two "
                "surgery features became one)"
            ),
            created_at=timezone.now(),
        )
        procedure.save(update_fields=["plan_version"])


class Migration(migrations.Migration):
    dependencies = [
        ("living", "0003_procedure_plan_version"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(therapy_pauses_to_procedures, migrations.RunPython.noop),
        migrations.RunPython(living_procedures_to_plan_pauses, migrations.RunPython.noop),
    ]
