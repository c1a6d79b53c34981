"""The living records as sections of the one JSON export, and their restore on import.

One section per model (docs/import-export.md, data/export.schema.json): `living_days`,
`timing_experiments`, `timing_changes`, `step_decisions`, `thyroid_records`,
`planned_procedures`, `bottles`. `ldn.web.journal.bundle` calls `export_sections` and, inside
the import's transaction, `restore_sections`. A person other than the patient (the clinician
who decided a step or confirmed a procedure) is kept by name only; an import never links the
restored rows to another account.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ldn.web.accounts.models import User
from ldn.web.living import services
from ldn.web.living.models import (
    Bottle,
    LivingDay,
    PlannedProcedure,
    StepDecision,
    ThyroidRecord,
    TimingChange,
    TimingExperiment,
)
from ldn.web.therapy.models import PlanVersion

SECTIONS = (
    "living_days",
    "timing_experiments",
    "timing_changes",
    "step_decisions",
    "thyroid_records",
    "planned_procedures",
    "bottles",
)


class LivingRestoreError(ValueError):
    """A living section cannot be stored as it is (names the section and the fault)."""


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _who(patient: User, person: User | None, name: str) -> str | None:
    if person is not None and person.pk == patient.pk:
        return "patient"
    return (person.get_username() if person is not None else name) or None


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _when(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _clock(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _plan_key(v: PlanVersion) -> tuple[str, str, str, str]:
    return (v.start.isoformat(), v.name, v.reason, _plain(v.created_at))


def export_sections(patient: User) -> dict[str, tuple[dict[str, Any], ...]]:
    """Every living section of `patient`, oldest first."""
    plan_numbers = {
        p.pk: p.number for p in PlanVersion.objects.filter(patient=patient).only("pk", "number")
    }
    return {
        "living_days": tuple(
            {"day": d.day.isoformat(), "scores": d.scores, "updated_at": _plain(d.updated_at)}
            for d in LivingDay.objects.filter(patient=patient).order_by("day")
        ),
        "timing_experiments": tuple(
            {
                "start": e.start.isoformat(),
                "block_days": e.block_days,
                "pairs": e.pairs,
                "washout_days": e.washout_days,
                "orders": list(e.orders),
                "seal": e.seal,
                "nonce": e.nonce,
                "morning_time": _plain(e.morning_time),
                "bedtime_time": _plain(e.bedtime_time),
                "prescriber": e.prescriber,
                "created_at": _plain(e.created_at),
                "stopped_at": _plain(e.stopped_at),
            }
            for e in TimingExperiment.objects.filter(patient=patient).order_by("created_at", "pk")
        ),
        "timing_changes": tuple(
            {
                "day": t.day.isoformat(),
                "time_of_day": t.time_of_day,
                "dose_time": _plain(t.dose_time),
                "reason": t.reason,
                "experiment_seal": t.experiment.seal if t.experiment else None,
                "created_at": _plain(t.created_at),
            }
            for t in TimingChange.objects.filter(patient=patient).select_related("experiment")
        ),
        "step_decisions": tuple(
            {
                "change_day": s.change_day.isoformat(),
                "change_label": s.change_label,
                "summary": s.summary,
                "proposal": s.proposal,
                "decision": s.decision,
                "reason": s.reason,
                "decided_by": _who(patient, s.decided_by, s.decided_by_name),
                "decided_at": _plain(s.decided_at),
                "plan_version": plan_numbers.get(s.plan_version_id) if s.plan_version_id else None,
            }
            for s in StepDecision.objects.filter(patient=patient)
            .select_related("decided_by")
            .order_by("change_day")
        ),
        "thyroid_records": tuple(
            {
                "day": r.day.isoformat(),
                "kind": r.kind,
                "value": _plain(r.value),
                "unit": r.unit,
                "note": r.note,
                "created_at": _plain(r.created_at),
            }
            for r in ThyroidRecord.objects.filter(patient=patient).order_by(
                "day", "created_at", "pk"
            )
        ),
        "planned_procedures": tuple(
            {
                "procedure_day": p.procedure_day.isoformat(),
                "description": p.description,
                "instruction": p.instruction,
                "instructed_by": p.instructed_by,
                "last_dose_day": p.last_dose_day.isoformat(),
                "restart_day": _plain(p.restart_day),
                "entered_by": _who(patient, p.entered_by, p.entered_by_name),
                "confirmed_by": _who(patient, p.confirmed_by, p.confirmed_by_name),
                "confirmed_at": _plain(p.confirmed_at),
                "plan_version": plan_numbers.get(p.plan_version_id) if p.plan_version_id else None,
                "created_at": _plain(p.created_at),
            }
            for p in PlannedProcedure.objects.filter(patient=patient)
            .select_related("entered_by", "confirmed_by")
            .order_by("procedure_day", "created_at", "pk")
        ),
        "bottles": tuple(
            {
                "started_on": b.started_on.isoformat(),
                "concentration_mg_per_ml": _plain(b.concentration_mg_per_ml),
                "volume_ml": _plain(b.volume_ml),
                "created_at": _plain(b.created_at),
            }
            for b in Bottle.objects.filter(patient=patient).order_by(
                "started_on", "created_at", "pk"
            )
        ),
    }


def state(patient: User) -> tuple[int, ...]:
    """Row counts of the living sections (what an import changed)."""
    models = (LivingDay, TimingExperiment, TimingChange, StepDecision, ThyroidRecord,
              PlannedProcedure, Bottle)  # fmt: skip
    return tuple(m._default_manager.filter(patient=patient).count() for m in models)


def _person(patient: User, who: str | None) -> tuple[User | None, str]:
    """The patient is linked again; anyone else is kept by name only."""
    if who == "patient":
        return patient, ""
    return None, who or ""


def restore_sections(
    patient: User, sections: dict[str, tuple[dict[str, Any], ...]], plan_versions: Any
) -> None:
    """Add the living rows not already there (called inside the import's transaction).
    `plan_versions` is the bundle's plan_versions section, to relink step decisions."""
    for d in sections["living_days"]:
        day = dt.date.fromisoformat(d["day"])
        if not LivingDay.objects.filter(patient=patient, day=day).exists():
            LivingDay.objects.create(
                patient=patient, day=day, scores=d["scores"], updated_at=_when(d["updated_at"])
            )
    experiments: dict[str, TimingExperiment] = {}
    for e in sections["timing_experiments"]:
        experiments[e["seal"]] = _restore_experiment(patient, e)
    for t in sections["timing_changes"]:
        day = dt.date.fromisoformat(t["day"])
        if TimingChange.objects.filter(patient=patient, day=day).exists():
            continue
        seal = t["experiment_seal"]
        if seal is not None and seal not in experiments:
            raise LivingRestoreError(
                f"timing_changes: the change on {day} names an experiment (seal {seal[:8]}…) "
                "that is not in the file"
            )
        TimingChange.objects.create(
            patient=patient, day=day, time_of_day=t["time_of_day"],
            dose_time=_clock(t["dose_time"]), reason=t["reason"],
            experiment=experiments[seal] if seal is not None else None,
            created_at=_when(t["created_at"]),
        )  # fmt: skip
    relink = _plan_relinker(patient, plan_versions)
    _restore_decisions(patient, sections["step_decisions"], relink)
    for r in sections["thyroid_records"]:
        values = {
            "day": dt.date.fromisoformat(r["day"]),
            "kind": r["kind"],
            "value": Decimal(str(r["value"])),
            "unit": r["unit"],
            "note": r["note"],
        }
        if not ThyroidRecord.objects.filter(patient=patient, **values).exists():
            ThyroidRecord.objects.create(
                patient=patient, **values, created_at=_when(r["created_at"])
            )
    for p in sections["planned_procedures"]:
        values = {
            "procedure_day": dt.date.fromisoformat(p["procedure_day"]),
            "description": p["description"],
            "instruction": p["instruction"],
        }
        if PlannedProcedure.objects.filter(patient=patient, **values).exists():
            continue
        entered_by, entered_name = _person(patient, p["entered_by"])
        confirmed_by, confirmed_name = _person(patient, p["confirmed_by"])
        version = relink(
            p.get("plan_version"), f"planned_procedures: the procedure on {values['procedure_day']}"
        )
        PlannedProcedure.objects.create(
            patient=patient, **values, instructed_by=p["instructed_by"],
            last_dose_day=dt.date.fromisoformat(p["last_dose_day"]),
            restart_day=_date(p["restart_day"]), entered_by=entered_by,
            entered_by_name=entered_name, confirmed_by=confirmed_by,
            confirmed_by_name=confirmed_name, confirmed_at=_when(p["confirmed_at"]),
            plan_version=version, created_at=_when(p["created_at"]),
        )  # fmt: skip
    for b in sections["bottles"]:
        values = {
            "started_on": dt.date.fromisoformat(b["started_on"]),
            "concentration_mg_per_ml": Decimal(str(b["concentration_mg_per_ml"])),
            "volume_ml": Decimal(str(b["volume_ml"])),
        }
        if not Bottle.objects.filter(patient=patient, **values).exists():
            Bottle.objects.create(patient=patient, **values, created_at=_when(b["created_at"]))


def _restore_experiment(patient: User, e: dict[str, Any]) -> TimingExperiment:
    existing = TimingExperiment.objects.filter(patient=patient, seal=e["seal"]).first()
    if existing is not None:
        return existing
    row = TimingExperiment(
        patient=patient, start=dt.date.fromisoformat(e["start"]), block_days=e["block_days"],
        pairs=e["pairs"], washout_days=e["washout_days"], orders=e["orders"], seal=e["seal"],
        nonce=e["nonce"], morning_time=_clock(e["morning_time"]),
        bedtime_time=_clock(e["bedtime_time"]), prescriber=e["prescriber"],
        created_at=_when(e["created_at"]), stopped_at=_when(e["stopped_at"]),
    )  # fmt: skip
    try:
        rebuilt = services.schedule_of(row)  # the stored order must give the stated seal
    except ValueError as exc:
        raise LivingRestoreError(
            f"timing_experiments: the experiment from {e['start']} cannot be rebuilt: {exc}"
        ) from exc
    if rebuilt.seal != e["seal"]:
        raise LivingRestoreError(
            f"timing_experiments: the experiment from {e['start']} does not match its seal"
        )
    row.save()
    return row


def _plan_relinker(patient: User, plan_versions: Any) -> Any:
    """A function from a plan version number in the file to the restored PlanVersion row (None
    for None); a number not in the file raises LivingRestoreError naming the row."""
    by_number = {v["number"]: (v["start"], v["name"], v["reason"], v["created_at"])
                 for v in plan_versions}  # fmt: skip
    restored = {_plan_key(v): v for v in PlanVersion.objects.filter(patient=patient)}

    def relink(number: int | None, what: str) -> PlanVersion | None:
        if number is None:
            return None
        if number not in by_number:
            raise LivingRestoreError(
                f"{what} names plan version {number}, which is not in the file"
            )
        return restored.get(by_number[number])

    return relink


def _restore_decisions(patient: User, decisions: tuple[dict[str, Any], ...], relink: Any) -> None:
    for s in decisions:
        change_day = dt.date.fromisoformat(s["change_day"])
        if StepDecision.objects.filter(patient=patient, change_day=change_day).exists():
            continue
        version = relink(s["plan_version"], f"step_decisions: the decision on {change_day}")
        decided_by, decided_name = _person(patient, s["decided_by"])
        StepDecision.objects.create(
            patient=patient, change_day=change_day, change_label=s["change_label"],
            summary=s["summary"], proposal=s["proposal"], decision=s["decision"],
            reason=s["reason"], decided_by=decided_by, decided_by_name=decided_name,
            decided_at=_when(s["decided_at"]), plan_version=version,
        )  # fmt: skip
