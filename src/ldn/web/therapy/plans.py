"""Stored plans <-> the dosing core: versions, today's dose, the calendar ahead, adherence."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from ldn.dosing import (
    Adherence,
    Pause,
    PlanHistory,
    PlanStep,
    TitrationPlan,
    WeekAdherence,
)
from ldn.dosing import (
    PlanVersion as CoreVersion,
)
from ldn.dosing import adherence as core_adherence
from ldn.web.accounts.models import User
from ldn.web.journal.models import DoseLog
from ldn.web.therapy.models import PlanVersion

CALENDAR_WEEKS = 6
ADHERENCE_WEEKS = 8


def to_core(row: PlanVersion) -> TitrationPlan:
    steps = tuple(PlanStep(float(s["dose_mg"]), int(s["from_day"]), s["to_day"]) for s in row.steps)
    pauses = tuple(
        Pause(
            dt.date.fromisoformat(p["start"]),
            dt.date.fromisoformat(p["end"]) if p.get("end") else None,
            p.get("reason", ""),
        )
        for p in row.pauses
    )
    return TitrationPlan(start=row.start, steps=steps, pauses=pauses, name=row.name)


def _steps_json(plan: TitrationPlan) -> list[dict[str, Any]]:
    return [{"dose_mg": s.dose_mg, "from_day": s.from_day, "to_day": s.to_day} for s in plan.steps]


def _pauses_json(plan: TitrationPlan) -> list[dict[str, Any]]:
    return [
        {
            "start": p.start.isoformat(),
            "end": p.end.isoformat() if p.end else None,
            "reason": p.reason,
        }
        for p in plan.pauses
    ]


def versions(patient: User) -> list[PlanVersion]:
    return list(PlanVersion.objects.filter(patient=patient).select_related("author"))


def current_version(patient: User) -> PlanVersion | None:
    return PlanVersion.objects.filter(patient=patient).order_by("-number").first()


def current_plan(patient: User) -> TitrationPlan | None:
    row = current_version(patient)
    return None if row is None else to_core(row)


def dose_on(patient: User, day: dt.date) -> float | None:
    """The current plan's dose for `day` (None without a plan, in a pause, or before its start)."""
    plan = current_plan(patient)
    return None if plan is None else plan.dose_on(day)


def history(patient: User) -> PlanHistory:
    """The stored versions as the core's append-only history (which validates each change)."""
    out = PlanHistory()
    for row in versions(patient):
        out = PlanHistory(
            versions=(
                *out.versions,
                CoreVersion(row.number, to_core(row), row.author_name, row.reason, row.created_at),
            )
        )
    return out


def save_version(
    patient: User, plan: TitrationPlan, *, author: User, reason: str, now: dt.datetime | None = None
) -> PlanVersion:
    """Append a version. The core checks author and reason; the unique number stops a race."""
    now = now or timezone.now()
    new = history(patient).revise(plan, author.get_username(), reason, now).versions[-1]
    try:
        with transaction.atomic():
            return PlanVersion.objects.create(
                patient=patient,
                number=new.number,
                name=plan.name,
                start=plan.start,
                steps=_steps_json(plan),
                pauses=_pauses_json(plan),
                author=author,
                author_name=new.author,
                reason=new.reason,
                created_at=now,
            )
    except IntegrityError:
        raise ValueError(
            "the plan was changed at the same time by someone else; try again"
        ) from None


def pauses_ahead(plan: TitrationPlan, today: dt.date) -> tuple[Pause, ...]:
    """The pauses not over by `today` (open, or ending today or later)."""
    return tuple(p for p in plan.pauses if p.end is None or p.end >= today)


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    dose_mg: float | None
    paused: bool
    is_today: bool


def upcoming(
    plan: TitrationPlan, today: dt.date, weeks: int = CALENDAR_WEEKS
) -> list[list[CalendarDay]]:
    """Weeks (Monday first) from this week on, each day with its dose or pause."""
    monday = today - dt.timedelta(days=today.weekday())
    rows = []
    for w in range(weeks):
        row = []
        for d in range(7):
            day = monday + dt.timedelta(days=7 * w + d)
            row.append(
                CalendarDay(day, plan.dose_on(day), plan.paused_on(day) is not None, day == today)
            )
        rows.append(row)
    return rows


def adherence_batch(spans: Mapping[int, tuple[dt.date | None, dt.date]]) -> dict[int, Adherence]:
    """Each patient's adherence (ldn.dosing.adherence, the one definition) over their span
    (start, end), both inclusive, in three queries whatever the number of patients.

    Under the patient's current plan a start of None, or one before the plan's start, means the
    plan's start. A patient without a plan (a diary imported from elsewhere) has every night
    due from their first dose logged as taken; with no such dose they are left out."""
    plans: dict[int, TitrationPlan | None] = {}
    for row in PlanVersion.objects.filter(patient_id__in=list(spans)).order_by("number"):
        plans[row.patient_id] = to_core(row)
    begins = {
        pid: max(spans[pid][0] or plan.start, plan.start)
        for pid, plan in plans.items()
        if plan is not None
    }
    planless = [pid for pid in spans if pid not in plans]
    if planless:
        firsts = (
            DoseLog.objects.filter(patient_id__in=planless, status=DoseLog.Status.TAKEN)
            .values("patient_id")
            .annotate(first=Min("day"))
            .values_list("patient_id", "first")
        )
        for pid, first in firsts:
            plans[pid] = None
            begins[pid] = max(spans[pid][0] or first, first)
    if not begins:
        return {}
    records: dict[int, list[tuple[dt.date, bool]]] = defaultdict(list)
    rows = DoseLog.objects.filter(
        patient_id__in=list(begins),
        day__gte=min(begins.values()),
        day__lte=max(spans[pid][1] for pid in begins),
    ).values_list("patient_id", "day", "status")
    for pid, day, status in rows:
        records[pid].append((day, status == DoseLog.Status.TAKEN))
    return {
        pid: core_adherence(plans[pid], records.get(pid, []), begin, spans[pid][1])
        for pid, begin in begins.items()
    }


def adherence_of(patient: User, end: dt.date, start: dt.date | None = None) -> Adherence | None:
    """One patient's adherence (see `adherence_batch`); None with neither a plan nor a dose."""
    return adherence_batch({patient.pk: (start, end)}).get(patient.pk)


def recent_adherence_weeks(patient: User, today: dt.date) -> list[WeekAdherence]:
    """The last weeks' adherence up to yesterday (tonight's dose is not due yet), newest first."""
    end = today - dt.timedelta(days=1)
    counted = adherence_of(patient, end, end - dt.timedelta(days=7 * ADHERENCE_WEEKS - 1))
    return [] if counted is None else list(reversed(counted.weeks))
