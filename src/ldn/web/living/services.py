"""Stored records <-> the cores: windows, the timing experiment, the thyroid watch, procedures.

Views call these; no calculation lives in a view or a template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from ldn.analysis import timing
from ldn.dosing.liquid import liquid_dose
from ldn.dosing.perioperative import SurgeryGuidance, pause_for_procedure, surgery_guidance
from ldn.dosing.plan import TitrationPlan
from ldn.dosing.thyroid import LAB_DAYS, WATCH_DAYS, WATCH_ITEMS, thyroid_cowatch
from ldn.dosing.tolerance import (
    START,
    UP,
    DoseChange,
    WindowDay,
    WindowSummary,
    dose_changes,
    held,
    stepped_back,
    summarise_window,
    window_open_on,
)
from ldn.journal import SIDE_EFFECTS
from ldn.web.accounts.clock import profile_of
from ldn.web.accounts.models import Share, User
from ldn.web.journal.models import DailyEntry, DoseLog, Medication, Symptom, SymptomRating
from ldn.web.living.models import (
    Bottle,
    LivingDay,
    PlannedProcedure,
    StepDecision,
    ThyroidRecord,
    TimingChange,
    TimingExperiment,
)
from ldn.web.therapy import plans
from ldn.web.therapy.models import PlanVersion

TOLERANCE_ITEMS = {k: SIDE_EFFECTS[k] for k in ("vivid_dreams", "insomnia", "headache", "nausea")}
TIMING_ITEMS = {
    "vivid_dreams": "Vivid dreams",
    "grogginess": "Grogginess this morning",
    "energy": "Daytime energy (10 = full of energy)",
}


# --- dose changes and tolerance windows ------------------------------------------------------


def changes(patient: User) -> list[DoseChange]:
    rows = TimingChange.objects.filter(patient=patient)
    return dose_changes(
        plans.current_plan(patient),
        [(r.day, f"{r.time_of_day} dose at {r.dose_time:%H:%M}") for r in rows],
    )


def worst_symptom(patient: User, before: dt.date) -> tuple[Symptom | None, float | None]:
    """The tracked symptom with the highest average in the 14 days before `before`, and it."""
    best: tuple[Symptom | None, float | None] = (None, None)
    for symptom in Symptom.objects.filter(patient=patient, active=True):
        scores = list(
            SymptomRating.objects.filter(
                symptom=symptom,
                entry__day__lt=before,
                entry__day__gte=before - dt.timedelta(days=14),
            ).values_list("score", flat=True)
        )
        if scores:
            mean = sum(scores) / len(scores)
            if best[1] is None or mean > best[1]:
                best = (symptom, mean)
        elif best[0] is None:
            best = (symptom, None)
    return best


def _living_days(patient: User, start: dt.date, end: dt.date) -> dict[dt.date, dict[str, int]]:
    rows = LivingDay.objects.filter(patient=patient, day__gte=start, day__lte=end)
    return {r.day: r.scores for r in rows}


@dataclass(frozen=True)
class WindowView:
    change: DoseChange
    summary: WindowSummary
    course: list[dict[str, Any]]
    symptom_name: str | None
    columns: list[str]  # the items answered at least once, in the order asked


def window_view(patient: User, change: DoseChange, today: dt.date) -> WindowView:
    symptom, baseline = worst_symptom(patient, change.day)
    end = change.day + dt.timedelta(days=13)
    stored = _living_days(patient, change.day, end)
    days = [
        WindowDay(
            d,
            {k: v for k, v in s.items() if k in TOLERANCE_ITEMS},
            s.get("worst_symptom"),
        )
        for d, s in stored.items()
    ]
    summary = summarise_window(change, days, baseline=baseline, today=today)
    course = []
    shown = [k for k in TOLERANCE_ITEMS if any(k in v for v in stored.values())]
    for i in range(14):
        d = change.day + dt.timedelta(days=i)
        if d > today:
            break
        s = stored.get(d)
        wd = next((w for w in days if w.day == d), None)
        course.append(
            {
                "day": d,
                "n": i + 1,
                "scores": [(s or {}).get(k) for k in shown],
                "worst": (s or {}).get("worst_symptom"),
                "flare": wd.flare(baseline) if wd else None,
            }
        )
    columns = [TOLERANCE_ITEMS[k] for k in shown]
    return WindowView(change, summary, course, symptom.name if symptom else None, columns)


def open_window(patient: User, day: dt.date) -> DoseChange | None:
    return window_open_on(changes(patient), day)


def last_closed_window(patient: User, today: dt.date) -> DoseChange | None:
    closed = [c for c in changes(patient) if c.day + dt.timedelta(days=14) <= today]
    return closed[-1] if closed else None


def has_plan_clinician(patient: User) -> bool:
    return any(Share.Area.PLAN in s.areas for s in Share.objects.active().filter(patient=patient))


def decide_step(
    patient: User,
    change: DoseChange,
    summary: WindowSummary,
    *,
    by: User,
    decision: str,
    reason: str,
    today: dt.date,
) -> StepDecision:
    """A person's decision on a closed window; a plan version records it (author and reason)."""
    plan = plans.current_plan(patient)
    if plan is None:
        raise ValueError("there is no plan to change yet")
    if decision == StepDecision.Choice.STEP_BACK:
        new_plan: TitrationPlan = stepped_back(plan, change, today)
    elif decision == StepDecision.Choice.HOLD:
        new_plan = held(plan, today, 7)
    else:
        new_plan = plan
    label = StepDecision.Choice(decision).label
    with transaction.atomic():
        row = plans.save_version(
            patient,
            new_plan,
            author=by,
            reason=f"After the tolerance window of {change.label} ({change.day:%-d %b}): "
            f"{label.lower()}. {reason.strip()}",
        )
        return StepDecision.objects.create(
            patient=patient,
            change_day=change.day,
            change_label=change.label,
            summary=summary.sentence,
            proposal=summary.proposal,
            decision=decision,
            reason=reason.strip(),
            decided_by=by,
            decided_at=timezone.now(),
            plan_version=row,
        )


# --- the extra check-in set ------------------------------------------------------------------


@dataclass(frozen=True)
class ExtraSet:
    day: dt.date
    items: dict[str, str]  # code -> label, in the order asked
    reasons: list[str]
    saved: dict[str, int]


def thyroid_match(patient: User) -> Any:
    profile = profile_of(patient)
    meds = Medication.objects.filter(patient=patient, stopped_on__isnull=True)
    return thyroid_cowatch(profile.conditions if profile else [], [m.name for m in meds])


def thyroid_watch_open(patient: User, day: dt.date) -> DoseChange | None:
    if thyroid_match(patient) is None:
        return None
    return window_open_on(changes(patient), day, WATCH_DAYS, kinds=(START, UP))


def extra_set(patient: User, day: dt.date) -> ExtraSet:
    items: dict[str, str] = {}
    reasons = []
    change = open_window(patient, day)
    if change is not None:
        reasons.append(f"day {(day - change.day).days + 1} after {change.label.lower()}")
        items |= TOLERANCE_ITEMS
        symptom, _ = worst_symptom(patient, change.day)
        if symptom is not None:
            items["worst_symptom"] = f"{symptom.name} (your worst symptom)"
    experiment = running_experiment(patient, day)
    if experiment is not None:
        time = timing.time_on(schedule_of(experiment), day)
        reasons.append(f"timing experiment: {time} block")
        items |= TIMING_ITEMS
    watch = thyroid_watch_open(patient, day)
    if watch is not None:
        reasons.append(f"thyroid watch after {watch.label.lower()}")
        items |= WATCH_ITEMS
    row = LivingDay.objects.filter(patient=patient, day=day).first()
    return ExtraSet(day, items, reasons, row.scores if row else {})


def save_day(patient: User, day: dt.date, scores: dict[str, int]) -> LivingDay:
    row, _ = LivingDay.objects.get_or_create(patient=patient, day=day)
    row.scores = {**row.scores, **scores}
    row.updated_at = timezone.now()
    row.save()
    return row


# --- timing experiment -----------------------------------------------------------------------


def design_of(e: TimingExperiment) -> Any:
    return timing.design(e.start, e.block_days, e.pairs, e.washout_days)


def schedule_of(e: TimingExperiment) -> Any:
    return timing.rebuild(design_of(e), list(e.orders), e.nonce)


def experiment_end(e: TimingExperiment) -> dt.date:
    return e.start + dt.timedelta(days=2 * e.pairs * e.block_days - 1)


def current_experiment(patient: User) -> TimingExperiment | None:
    return TimingExperiment.objects.filter(patient=patient, stopped_at__isnull=True).first()


def running_experiment(patient: User, day: dt.date) -> TimingExperiment | None:
    e = current_experiment(patient)
    return e if e is not None and e.start <= day <= experiment_end(e) else None


def start_experiment(
    patient: User,
    *,
    start: dt.date,
    block_days: int,
    pairs: int = 2,
    morning_time: dt.time,
    bedtime_time: dt.time,
    prescriber: str,
    rng: np.random.Generator,
) -> TimingExperiment:
    """Draw the order with `rng` and record each block's dose time as a timing change."""
    if current_experiment(patient) is not None:
        raise ValueError("a timing experiment is already running; stop it before starting another")
    d = timing.design(start, block_days, pairs)
    s = timing.schedule(d, rng)
    with transaction.atomic():
        e = TimingExperiment.objects.create(
            patient=patient, start=start, block_days=block_days, pairs=d.pairs,
            washout_days=d.washout_days, orders=list(s.orders), seal=s.seal, nonce=s.nonce,
            morning_time=morning_time, bedtime_time=bedtime_time, prescriber=prescriber.strip(),
        )  # fmt: skip
        for b in timing.blocks(s):
            TimingChange.objects.update_or_create(
                patient=patient,
                day=b.start,
                defaults={
                    "time_of_day": b.time,
                    "dose_time": morning_time if b.time == timing.MORNING else bedtime_time,
                    "reason": f"Timing experiment, block {b.index} of {len(s.periods)}",
                    "experiment": e,
                },
            )
    return e


def stop_experiment(e: TimingExperiment, today: dt.date) -> None:
    with transaction.atomic():
        TimingChange.objects.filter(experiment=e, day__gt=today).delete()
        e.stopped_at = timezone.now()
        e.save(update_fields=["stopped_at"])


def dose_time_on(patient: User, day: dt.date) -> dt.time:
    """The dose time in force on `day`: the last recorded timing change, else the bedtime.

    The hook for reminders: ldn.web.therapy.reminders should call this instead of reading
    PatientProfile.bedtime, so the reminder follows the experiment's block.
    """
    change = TimingChange.objects.filter(patient=patient, day__lte=day).order_by("-day").first()
    if change is not None:
        return change.dose_time
    profile = profile_of(patient)
    return profile.bedtime if profile else dt.time(22, 0)


def experiment_result(e: TimingExperiment) -> timing.TimingResult:
    end = experiment_end(e)
    dates = [e.start + dt.timedelta(days=i) for i in range((end - e.start).days + 1)]
    living = _living_days(e.patient, e.start, end)
    entries = {
        x.day: x
        for x in DailyEntry.objects.filter(
            patient=e.patient, day__gte=e.start, day__lte=end
        ).prefetch_related("ratings")
    }

    def series(get: Any) -> np.ndarray:
        return np.array([np.nan if (v := get(d)) is None else float(v) for d in dates])

    def symptoms(d: dt.date) -> float | None:
        entry = entries.get(d)
        scores = [r.score for r in entry.ratings.all()] if entry else []
        return sum(scores) / len(scores) if scores else None

    data = {
        "sleep_quality": series(lambda d: getattr(entries.get(d), "sleep_quality", None)),
        "vivid_dreams": series(lambda d: living.get(d, {}).get("vivid_dreams")),
        "grogginess": series(lambda d: living.get(d, {}).get("grogginess")),
        "energy": series(lambda d: living.get(d, {}).get("energy")),
        "symptoms": series(symptoms),
    }
    return timing.analyse(schedule_of(e), dates, data)


# --- thyroid ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabStatus:
    last: ThyroidRecord | None
    days_since: int | None
    due: bool


def lab_status(patient: User, today: dt.date) -> LabStatus:
    last = (
        ThyroidRecord.objects.filter(patient=patient, kind__in=["tsh", "free_t4"])
        .order_by("-day")
        .first()
    )
    if last is None:
        return LabStatus(None, None, True)
    since = (today - last.day).days
    return LabStatus(last, since, since >= LAB_DAYS)


def lab_reminder_anchor(patient: User) -> dt.date | None:
    """Where the labs reminders count from (every LAB_DAYS): the last logged TSH/free T4, else
    the first LDN dose of the first plan; None when the co-watch does not apply or no plan."""
    if thyroid_match(patient) is None:
        return None
    first = PlanVersion.objects.filter(patient=patient).order_by("number").first()
    if first is None:
        return None
    last = (
        ThyroidRecord.objects.filter(patient=patient, kind__in=["tsh", "free_t4"])
        .order_by("-day")
        .first()
    )
    return last.day if last is not None else first.start


def watch_course(patient: User, change: DoseChange, today: dt.date) -> dict[str, Any]:
    """The watch's recorded days, with only the signs answered at least once as columns."""
    stored = _living_days(patient, change.day, change.day + dt.timedelta(days=WATCH_DAYS - 1))
    shown = [k for k in WATCH_ITEMS if any(k in v for v in stored.values())]
    rows = [
        {"day": d, "scores": [s.get(k) for k in shown]}
        for d, s in sorted(stored.items())
        if d <= today and any(k in s for k in shown)
    ]
    return {"columns": [WATCH_ITEMS[k] for k in shown], "rows": rows}


# --- procedures and bottles ------------------------------------------------------------------


def surgery_sources() -> SurgeryGuidance:
    """The sources' range from dosing/data/perioperative.yaml, shown beside the instruction."""
    return surgery_guidance()


def save_procedure(patient: User, data: dict[str, Any], *, by: User) -> PlannedProcedure:
    """Store the prescriber's instruction as given and pause the plan accordingly, in one
    transaction: a plan version authored by `by` (the patient or their clinician) holds the pause
    from the day after the last dose to the day before the restart. ValueError or PlanError (with
    nothing stored) when there is no plan or the pause overlaps another."""
    plan = plans.current_plan(patient)
    if plan is None:
        raise ValueError("there is no plan to pause yet")
    day = data["procedure_day"]
    paused = pause_for_procedure(
        plan, day, data["last_dose_day"], data["restart_day"],
        reason=f"{data['description']} on {day:%-d %B %Y}",
    )  # fmt: skip
    source = f": the instruction of {data['instructed_by']}" if data["instructed_by"] else ""
    with transaction.atomic():
        version = plans.save_version(
            patient, paused, author=by,
            reason=f"Paused for {data['description']} on {day:%-d %B %Y}{source}",
        )  # fmt: skip
        confirmed = {"confirmed_by": by, "confirmed_at": timezone.now()} if by.is_clinician else {}
        return PlannedProcedure.objects.create(
            patient=patient, entered_by=by, plan_version=version, **confirmed, **data
        )


def record_restart(patient: User, pause_start: dt.date, on: dt.date) -> None:
    """When the patient resumes a pause a procedure opened without a restart day, the procedure
    shows the day they restarted."""
    PlannedProcedure.objects.filter(
        patient=patient, restart_day=None, last_dose_day=pause_start - dt.timedelta(days=1)
    ).update(restart_day=on)


def current_procedures(patient: User, today: dt.date) -> list[PlannedProcedure]:
    """Procedures still ahead or not yet restarted after (the plan page and the clinic view)."""
    rows = PlannedProcedure.objects.filter(patient=patient).select_related(
        "entered_by", "confirmed_by", "plan_version"
    )
    return [p for p in rows if p.restart_day is None or p.restart_day >= today]


def volume_for(dose_mg: float, bottle: Bottle) -> dict[str, Any]:
    """The volume to draw for `dose_mg` from `bottle` (ldn.dosing.liquid does the arithmetic)."""
    volume = float(bottle.volume_ml)
    content = float(bottle.concentration_mg_per_ml * Decimal(str(volume)))
    if dose_mg > content:
        return {"dose": None, "error": "more than the whole bottle"}
    return {"dose": liquid_dose(content, volume, dose_mg)}


def step_volumes(plan: TitrationPlan | None, bottle: Bottle | None) -> list[dict[str, Any]]:
    """Volume per plan step for the bottle in use."""
    if plan is None or bottle is None:
        return []
    return [{"step": step} | volume_for(step.dose_mg, bottle) for step in plan.steps]


def current_bottle(patient: User, today: dt.date) -> Bottle | None:
    """The bottle in use on `today`: the newest one started on or before it."""
    return Bottle.objects.filter(patient=patient).filter(started_on__lte=today).first()


def uses_liquid(patient: User) -> bool:
    """The dose form of the last check-in that named one is liquid; with none named, a bottle."""
    last = (
        DoseLog.objects.filter(patient=patient)
        .exclude(form="")
        .order_by("-day")
        .values_list("form", flat=True)
        .first()
    )
    if last:
        return last == "liquid"
    return Bottle.objects.filter(patient=patient).exists()


REFILL_HORIZON_DAYS = 400


def expected_refill(plan: TitrationPlan | None, bottle: Bottle) -> dt.date | None:
    """Our suggestion: the first day the bottle's volume no longer holds that day's planned volume
    (each day's volume from volume_for, so it is rounded to the syringe's marks as drawn)."""
    if plan is None:
        return None
    left = float(bottle.volume_ml)
    drawn: dict[float, float] = {}
    for n in range(REFILL_HORIZON_DAYS):
        day = bottle.started_on + dt.timedelta(days=n)
        dose = plan.dose_on(day)
        if not dose:
            continue
        if dose not in drawn:
            row = volume_for(dose, bottle)["dose"]
            drawn[dose] = row.volume_ml if row is not None else float("inf")
        if drawn[dose] > left:
            return day
        left -= drawn[dose]
    return None


@dataclass(frozen=True)
class RefillPrompt:
    bottle: Bottle | None
    due: dt.date | None


def refill_prompt(patient: User, today: dt.date) -> RefillPrompt | None:
    """ "New bottle?" for a patient on liquid LDN: with no bottle recorded, or from the expected
    refill day of the current one (our suggestion); None otherwise."""
    if not uses_liquid(patient):
        return None
    bottle = current_bottle(patient, today)
    if bottle is None:
        return RefillPrompt(None, None)
    due = expected_refill(plans.current_plan(patient), bottle)
    if due is None or today < due:
        return None
    return RefillPrompt(bottle, due)
