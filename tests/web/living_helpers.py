"""One row in every living table, written as the living app's own services and views would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from ldn.web.living import services
from ldn.web.living.models import Bottle, PlannedProcedure, StepDecision, ThyroidRecord
from ldn.web.therapy.models import PlanVersion


def seed_living(patient, clinician, plan_version: PlanVersion | None = None) -> None:
    """Extra answers, a timing experiment (its blocks are timing changes), a clinician's step
    decision, a TSH result and a thyroid dose, a confirmed procedure and a liquid bottle."""
    services.save_day(patient, dt.date(2026, 3, 2), {"vivid_dreams": 6, "worst_symptom": 4})
    services.start_experiment(
        patient, start=dt.date(2026, 3, 10), block_days=7, pairs=2,
        morning_time=dt.time(8, 0), bedtime_time=dt.time(22, 0), prescriber="Dr Rowe",
        rng=np.random.default_rng(11),
    )  # fmt: skip
    StepDecision.objects.create(
        patient=patient, change_day=dt.date(2026, 3, 1), change_label="Start at 1.5 mg",
        summary="A flare that settled in 3 days (9 of 14 recorded days).", proposal="go_on",
        decision="hold", reason="Sleep still poor", decided_by=clinician,
        decided_at=dt.datetime(2026, 3, 16, 10, tzinfo=dt.UTC), plan_version=plan_version,
    )  # fmt: skip
    ThyroidRecord.objects.create(
        patient=patient, day=dt.date(2026, 3, 3), kind="tsh", value=Decimal("2.10"),
        unit="mIU/L", note="=morning draw",
    )  # fmt: skip
    ThyroidRecord.objects.create(
        patient=patient, day=dt.date(2026, 3, 3), kind="dose", value=Decimal("75"), unit="mcg"
    )
    PlannedProcedure.objects.create(
        patient=patient, procedure_day=dt.date(2026, 5, 4), description="Knee arthroscopy",
        instruction="Stop LDN 3 days before; restart the day after if no opioids.",
        instructed_by="Dr Rowe", last_dose_day=dt.date(2026, 4, 30),
        restart_day=dt.date(2026, 5, 5), entered_by=patient, confirmed_by=clinician,
        confirmed_at=dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC), plan_version=plan_version,
    )  # fmt: skip
    Bottle.objects.create(
        patient=patient, started_on=dt.date(2026, 3, 1),
        concentration_mg_per_ml=Decimal("1.00"), volume_ml=Decimal("50.0"),
    )  # fmt: skip
