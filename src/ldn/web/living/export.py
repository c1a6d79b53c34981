"""The living records as one CSV for the export zip: one row per event, oldest first.

To merge into the export (ldn.web.journal.transfer.export_zip), add one line inside the
`with zipfile.ZipFile(...)` block:  archive.writestr("living.csv", living_csv(patient))
"""

from __future__ import annotations

import csv
import io

from ldn.web.accounts.models import User
from ldn.web.living.models import (
    Bottle,
    LivingDay,
    PlannedProcedure,
    StepDecision,
    ThyroidRecord,
    TimingChange,
)

COLUMNS = ["date", "event", "item", "value", "detail"]


def living_rows(patient: User) -> list[list[str]]:
    rows: list[list[str]] = []
    for t in TimingChange.objects.filter(patient=patient):
        rows.append(
            [t.day.isoformat(), "timing_change", t.time_of_day, f"{t.dose_time:%H:%M}", t.reason]
        )
    for d in LivingDay.objects.filter(patient=patient):
        for code, score in sorted(d.scores.items()):
            rows.append([d.day.isoformat(), "extra_question", code, str(score), ""])
    for s in StepDecision.objects.filter(patient=patient).select_related("decided_by"):
        who = s.decided_by.get_username() if s.decided_by else ""
        rows.append(
            [
                s.change_day.isoformat(),
                "step_decision",
                s.decision,
                s.proposal,
                f"{who}: {s.reason}",
            ]
        )
    for r in ThyroidRecord.objects.filter(patient=patient):
        rows.append([r.day.isoformat(), "thyroid", r.kind, f"{r.value} {r.unit}", r.note])
    for p in PlannedProcedure.objects.filter(patient=patient):
        restart = p.restart_day.isoformat() if p.restart_day else "not decided"
        rows.append([p.procedure_day.isoformat(), "procedure", p.description,
                     f"last dose {p.last_dose_day.isoformat()}, restart {restart}",
                     f"{p.instructed_by}: {p.instruction}"])  # fmt: skip
    for b in Bottle.objects.filter(patient=patient):
        rows.append(
            [
                b.started_on.isoformat(),
                "liquid_bottle",
                "mg_per_ml",
                str(b.concentration_mg_per_ml),
                f"{b.volume_ml} ml",
            ]
        )
    return sorted(rows, key=lambda r: (r[0], r[1]))


def living_csv(patient: User) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(living_rows(patient))
    return out.getvalue()
