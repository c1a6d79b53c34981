"""Stored plans <-> the dosing core: versions, today's dose, the calendar ahead, adherence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ldn.dosing import (
    Pause,
    PlanHistory,
    PlanStep,
    TitrationPlan,
    WeekAdherence,
    weekly_adherence,
)
from ldn.dosing import (
    PlanVersion as CoreVersion,
)
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


def adherence(patient: User, plan: TitrationPlan, today: dt.date) -> list[WeekAdherence]:
    """Weekly taken/planned for the last weeks up to yesterday (tonight's dose is not due yet)."""
    end = today - dt.timedelta(days=1)
    start = max(plan.start, end - dt.timedelta(days=7 * ADHERENCE_WEEKS - 1))
    if end < start:
        return []
    logs = DoseLog.objects.filter(patient=patient, day__gte=start, day__lte=end)
    records = [(log.day, log.status == DoseLog.Status.TAKEN) for log in logs]
    return list(reversed(weekly_adherence(plan, records, start, end)))
