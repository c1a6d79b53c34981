"""Tolerance windows: the days after each dose change, and how a step went.

A dose change is read from the plan (each step's first day: a start, a step up or a step down)
and from recorded timing changes (bedtime <-> morning). For `WINDOW_DAYS` after each change the
check-in asks a short extra set; `summarise_window` turns those days into a plain verdict and a
proposed next step. The thresholds below are OUR SUGGESTION, not a published rule: the sources
(living.yaml) only say that flares after a step usually pass within days and that a trial
protocol kept a daily diary for 7 days after any dose change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ldn.dosing.errors import PlanError
from ldn.dosing.plan import PlanStep, TitrationPlan

WINDOW_DAYS = 14  # our suggestion: within the 7-14 days of the brief; the protocol logged 7
FLARE_SCORE = 5  # our suggestion: a side effect rated 5 ("moderate") or more is a flare day
WORSE_BY = 2  # our suggestion: the worst symptom 2 points above its pre-change level
SETTLED_RUN = 3  # our suggestion: three flare-free recorded days in a row = settled
MIN_DAYS = 5  # our suggestion: fewer recorded days than this -> too little to say

START, UP, DOWN, TIMING = "start", "up", "down", "timing"
KIND_LABELS = {
    START: "Start of LDN",
    UP: "Step up",
    DOWN: "Step down",
    TIMING: "Timing change",
}


@dataclass(frozen=True)
class DoseChange:
    """One change that opens a tolerance window."""

    day: date
    kind: str
    from_mg: float | None
    to_mg: float | None
    note: str = ""

    @property
    def label(self) -> str:
        if self.kind == TIMING:
            return f"{KIND_LABELS[TIMING]}: {self.note}"
        if self.kind == START:
            return f"{KIND_LABELS[START]} at {self.to_mg:g} mg"
        return f"{KIND_LABELS[self.kind]} from {self.from_mg:g} to {self.to_mg:g} mg"


def dose_changes(
    plan: TitrationPlan | None, timing_changes: Iterable[tuple[date, str]] = ()
) -> list[DoseChange]:
    """Every change in date order: each step boundary of `plan`, then the timing changes."""
    out: list[DoseChange] = []
    if plan is not None:
        previous: float | None = None
        for step in plan.steps:
            day = plan.start + timedelta(days=step.from_day)
            if previous is None:
                out.append(DoseChange(day, START, None, step.dose_mg))
            elif step.dose_mg != previous:
                kind = UP if step.dose_mg > previous else DOWN
                out.append(DoseChange(day, kind, previous, step.dose_mg))
            previous = step.dose_mg
    out.extend(DoseChange(day, TIMING, None, None, note) for day, note in timing_changes)
    return sorted(out, key=lambda c: (c.day, c.kind != TIMING))


def window_open_on(
    changes: Iterable[DoseChange], day: date, days: int = WINDOW_DAYS, kinds: Iterable[str] = ()
) -> DoseChange | None:
    """The most recent change whose window covers `day` (optionally only of `kinds`)."""
    if not 1 <= days <= 60:
        raise PlanError(f"days must be between 1 and 60, got {days}")
    wanted = set(kinds)
    current = None
    for change in changes:
        if wanted and change.kind not in wanted:
            continue
        if change.day <= day < change.day + timedelta(days=days):
            current = change
    return current


@dataclass(frozen=True)
class WindowDay:
    """One day's answers: side effects 0-10 by code, the worst symptom 0-10 (None = skipped)."""

    day: date
    side_effects: Mapping[str, int]
    worst_symptom: int | None = None

    def flare(self, baseline: float | None) -> bool:
        if any(score >= FLARE_SCORE for score in self.side_effects.values()):
            return True
        return (
            baseline is not None
            and self.worst_symptom is not None
            and self.worst_symptom >= baseline + WORSE_BY
        )


@dataclass(frozen=True)
class WindowSummary:
    """The closing summary of one window, in plain words, with the proposed next step."""

    change: DoseChange
    verdict: str  # tolerated | settled | not_settling | too_little_data | open
    days_recorded: int
    flare_days: int
    settled_after_days: int | None
    sentence: str
    proposal: str  # go_on | hold | step_back
    proposal_sentence: str
    rule: str = (
        f"Our suggestion, not a published rule: a flare day has any side effect rated "
        f"{FLARE_SCORE} or more, or the worst symptom {WORSE_BY} points above its level before "
        f"the change; settled = {SETTLED_RUN} flare-free recorded days in a row at the end; "
        f"fewer than {MIN_DAYS} recorded days is too little to say."
    )


PROPOSALS = {
    "go_on": "go on with the plan",
    "hold": "hold this dose a little longer before the next step",
    "step_back": "step back to the previous dose",
}


def summarise_window(
    change: DoseChange,
    days: Iterable[WindowDay],
    *,
    baseline: float | None,
    today: date,
    length: int = WINDOW_DAYS,
) -> WindowSummary:
    """Tolerated, a flare that settled after N days, or not settling; open while it runs."""
    end = change.day + timedelta(days=length)
    recorded = sorted((d for d in days if change.day <= d.day < end), key=lambda d: d.day)
    flags = [d.flare(baseline) for d in recorded]
    n, flares = len(recorded), sum(flags)
    if today < end:
        return WindowSummary(
            change, "open", n, flares, None,
            f"Day {(today - change.day).days + 1} of {length}: {n} days recorded, "
            f"{flares} with a flare so far.",
            "hold", "Wait for the window to close before deciding the next step.",
        )  # fmt: skip
    if n < MIN_DAYS:
        return WindowSummary(
            change, "too_little_data", n, flares, None,
            f"Only {n} of {length} days were recorded, too few to say how this step went.",
            "hold", "Our suggestion: hold this dose and record a few more days.",
        )  # fmt: skip
    if flares == 0:
        return WindowSummary(
            change, "tolerated", n, 0, None,
            f"Tolerated: no flare on any of the {n} recorded days.",
            "go_on", "Our suggestion: go on with the plan.",
        )  # fmt: skip
    tail = flags[-SETTLED_RUN:]
    if len(tail) == SETTLED_RUN and not any(tail):
        last_flare = max(d.day for d, f in zip(recorded, flags, strict=True) if f)
        settled = (last_flare - change.day).days + 1
        return WindowSummary(
            change, "settled", n, flares, settled,
            f"A flare that settled in {settled} days ({flares} of {n} recorded days).",
            "go_on", "Our suggestion: go on with the plan once you feel settled.",
        )  # fmt: skip
    back = change.kind == UP
    return WindowSummary(
        change, "not_settling", n, flares, None,
        f"Not settling: {flares} of {n} recorded days had a flare, including the last ones.",
        "step_back" if back else "hold",
        "Our suggestion: step back to the previous dose and discuss it with your prescriber."
        if back
        else "Our suggestion: hold and discuss it with your prescriber.",
    )  # fmt: skip


def stepped_back(plan: TitrationPlan, change: DoseChange, today: date) -> TitrationPlan:
    """The plan with the dose from `today` on set back to the dose before `change`."""
    if change.kind != UP or change.from_mg is None:
        raise PlanError(f"only a step up can be stepped back, got a {change.kind}")
    index = (today - plan.start).days
    if index <= 0:
        raise PlanError(f"today must be after the plan start {plan.start}, got {today}")
    kept = [s for s in plan.steps if s.from_day < index]
    last = kept[-1]
    steps = [*kept[:-1], PlanStep(last.dose_mg, last.from_day, index)]
    steps.append(PlanStep(change.from_mg, index, None))
    return TitrationPlan(plan.start, tuple(steps), plan.pauses, plan.name)


def held(plan: TitrationPlan, today: date, days: int = 7) -> TitrationPlan:
    """The plan with today's dose kept `days` longer: every later step moves `days` later."""
    if not 1 <= days <= 56:
        raise PlanError(f"days must be between 1 and 56, got {days}")
    index = (today - plan.start).days
    steps = []
    for s in plan.steps:
        if s.from_day > index:
            steps.append(
                PlanStep(
                    s.dose_mg, s.from_day + days, None if s.to_day is None else s.to_day + days
                )
            )
        elif s.to_day is not None and s.to_day > index:
            steps.append(PlanStep(s.dose_mg, s.from_day, s.to_day + days))
        else:
            steps.append(s)
    return TitrationPlan(plan.start, tuple(steps), plan.pauses, plan.name)
