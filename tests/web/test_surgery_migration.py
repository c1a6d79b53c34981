"""Migrations living 0003-0004: therapy's old surgery pauses become planned procedures, and living's
procedures still ahead get the plan pause they used to make by a separate check. Nothing lost."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("living", "0002_names_kept_on_import"), ("therapy", "0002_reminder_outbox")]
AFTER = [("living", "0004_one_surgery_feature")]
WHEN = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_surgery_pauses_and_living_procedures_become_one_feature():
    old = _migrate(BEFORE)
    User = old.get_model("accounts", "User")
    PlanVersion = old.get_model("therapy", "PlanVersion")
    Procedure = old.get_model("living", "PlannedProcedure")
    ann = User.objects.create(username="ann", role="patient")
    ben = User.objects.create(username="ben", role="patient")
    steps = [{"dose_mg": 4.5, "from_day": 0, "to_day": None}]

    def version(patient, number, pauses, reason):
        return PlanVersion.objects.create(
            patient=patient, number=number, name="custom", start=dt.date(2026, 1, 1),
            steps=steps, pauses=pauses, author=patient, author_name=patient.username,
            reason=reason, created_at=WHEN + dt.timedelta(days=number),
        )  # fmt: skip

    # ann: therapy's "Pause before surgery" for 10 March (pause from 7 March), then resumed.
    version(ann, 1, [], "Start")
    paused = version(
        ann, 2, [{"start": "2026-03-07", "end": None, "reason": "surgery on 2026-03-10"}],
        "Paused 3 days before surgery on 10 March 2026",
    )  # fmt: skip
    version(
        ann, 3, [{"start": "2026-03-07", "end": "2026-03-15", "reason": "surgery on 2026-03-10"}],
        "Resumed on 2026-03-16",
    )  # fmt: skip
    # ben: living's instruction for a procedure far ahead, which paused reminders by a check.
    version(ben, 1, [], "Start")
    Procedure.objects.create(
        patient=ben, procedure_day=dt.date(2099, 5, 10), description="Knee",
        instruction="Stop 2 days before.", instructed_by="Dr Rowe",
        last_dose_day=dt.date(2099, 5, 7), restart_day=dt.date(2099, 5, 20), entered_by=ben,
        created_at=WHEN,
    )  # fmt: skip

    new = _migrate(AFTER)
    PlanVersion = new.get_model("therapy", "PlanVersion")
    Procedure = new.get_model("living", "PlannedProcedure")
    from_therapy = Procedure.objects.get(patient_id=ann.pk)
    assert (from_therapy.procedure_day, from_therapy.last_dose_day, from_therapy.restart_day) == (
        dt.date(2026, 3, 10), dt.date(2026, 3, 6), dt.date(2026, 3, 16),
    )  # fmt: skip
    assert from_therapy.plan_version_id == paused.pk and from_therapy.entered_by_id == ann.pk
    assert from_therapy.instructed_by == "" and from_therapy.created_at == paused.created_at
    assert from_therapy.instruction.startswith("No prescriber's instruction was recorded")
    assert PlanVersion.objects.filter(patient_id=ann.pk).count() == 3  # versions untouched
    knee = Procedure.objects.get(patient_id=ben.pk)
    made = PlanVersion.objects.get(pk=knee.plan_version_id)
    assert (made.number, made.author_id, made.steps) == (2, ben.pk, steps)
    assert made.pauses == [
        {"start": "2099-05-08", "end": "2099-05-19", "reason": "Knee on 10 May 2099"}
    ]
    assert made.reason.startswith("Paused for Knee on 10 May 2099: the instruction of Dr Rowe")


@pytest.mark.django_db(transaction=True)
def test_a_procedure_is_still_ahead_on_the_patients_own_today():
    """At 11:00 UTC on 1 February it is already 2 February in Kiritimati (UTC+14) and still
    1 February in Honolulu (UTC-10): a restart on 2 February is past for the first patient (left as
    it is) and ahead for the second (gets its plan pause). The server's UTC date would link both."""
    old = _migrate(BEFORE)
    User = old.get_model("accounts", "User")
    # accounts is not rolled back by BEFORE: its table is the current model's
    from ldn.web.accounts.models import PatientProfile

    PlanVersion = old.get_model("therapy", "PlanVersion")
    Procedure = old.get_model("living", "PlannedProcedure")
    steps = [{"dose_mg": 1.5, "from_day": 0, "to_day": None}]
    for name, zone in (("kiri", "Pacific/Kiritimati"), ("hono", "Pacific/Honolulu")):
        patient = User.objects.create(username=name, role="patient")
        PatientProfile.objects.create(user_id=patient.pk, time_zone=zone)
        PlanVersion.objects.create(
            patient=patient, number=1, name="custom", start=dt.date(2026, 1, 1), steps=steps,
            pauses=[], author=patient, author_name=name, reason="Start", created_at=WHEN,
        )  # fmt: skip
        Procedure.objects.create(
            patient=patient, procedure_day=dt.date(2026, 1, 30), description="Tooth",
            instruction="Stop 2 days before.", instructed_by="Dr Rowe",
            last_dose_day=dt.date(2026, 1, 27), restart_day=dt.date(2026, 2, 2),
            entered_by=patient, created_at=WHEN,
        )  # fmt: skip

    with time_machine.travel(dt.datetime(2026, 2, 1, 11, 0, tzinfo=dt.UTC), tick=False):
        new = _migrate(AFTER)
    Procedure = new.get_model("living", "PlannedProcedure")
    linked = {p.patient.username: p.plan_version_id is not None for p in Procedure.objects.all()}
    assert linked == {"kiri": False, "hono": True}
