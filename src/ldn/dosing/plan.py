"""Titration plans: dose steps counted in days from a start date, with pauses (e.g. surgery).

A step covers the half-open day range [from_day, to_day); `to_day=None` means "until changed".
Pauses are calendar ranges during which no dose is due; the schedule is not shifted by a pause
(the clinician edits the plan if the patient should re-titrate afterwards).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ldn.dosing.dose_rule import DoseCheck, check_doses, entry_limits
from ldn.dosing.errors import DoseRefused, PlanError

MIN_DOSE_MG = entry_limits().min_mg
MAX_DOSE_MG = entry_limits().max_mg  # one standard naltrexone tablet: above it, not LDN
MAX_DAY = 3650


@dataclass(frozen=True)
class PlanStep:
    """One dose held from `from_day` (inclusive) to `to_day` (exclusive, None = open-ended)."""

    dose_mg: float
    from_day: int
    to_day: int | None = None

    def __post_init__(self) -> None:
        try:
            check_doses([self.dose_mg])
        except DoseRefused as exc:
            raise PlanError(str(exc)) from None
        if not 0 <= self.from_day <= MAX_DAY:
            raise PlanError(f"from_day must be between 0 and {MAX_DAY}, got {self.from_day}")
        if self.to_day is not None and self.to_day <= self.from_day:
            raise PlanError(f"to_day must be after from_day ({self.from_day}), got {self.to_day}")

    def covers(self, day: int) -> bool:
        """Whether plan day `day` falls in this step."""
        return self.from_day <= day and (self.to_day is None or day < self.to_day)


@dataclass(frozen=True)
class Pause:
    """No dose from `start` to `end` inclusive (`end=None`: paused until resumed)."""

    start: date
    end: date | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise PlanError(f"pause end must not be before its start {self.start}, got {self.end}")

    def covers(self, day: date) -> bool:
        """Whether calendar day `day` is inside the pause."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class TitrationPlan:
    """Steps anchored at `start`; pauses switch dosing off for calendar ranges."""

    start: date
    steps: tuple[PlanStep, ...]
    pauses: tuple[Pause, ...] = ()
    name: str = "custom"
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not self.steps:
            raise PlanError("steps must contain at least one step, got none")
        if self.steps[0].from_day != 0:
            raise PlanError(f"the first step must start on day 0, got day {self.steps[0].from_day}")
        for prev, nxt in zip(self.steps, self.steps[1:], strict=False):
            if prev.to_day != nxt.from_day:
                raise PlanError(
                    f"steps must be contiguous: step ending on day {prev.to_day} is followed "
                    f"by a step starting on day {nxt.from_day}"
                )
        high = self.dose_check()
        if high.needs_confirmation and not self.warnings:
            object.__setattr__(self, "warnings", (high.warning,))

    def dose_check(self) -> DoseCheck:
        """The dose rule over every step: which doses need confirming."""
        return check_doses([s.dose_mg for s in self.steps], parameter="steps")

    @property
    def end(self) -> date | None:
        """Last calendar day with a scheduled dose, or None for an open-ended plan."""
        last = self.steps[-1].to_day
        return None if last is None else self.start + timedelta(days=last - 1)

    def step_on(self, day: date) -> PlanStep | None:
        """The step scheduled for `day`, ignoring pauses."""
        index = (day - self.start).days
        if index < 0:
            return None
        for step in self.steps:
            if step.covers(index):
                return step
        return None

    def paused_on(self, day: date) -> Pause | None:
        """The pause covering `day`, if any."""
        for pause in self.pauses:
            if pause.covers(day):
                return pause
        return None

    def dose_on(self, day: date) -> float | None:
        """Dose due on `day` in mg, or None before the start, after the end or while paused."""
        step = self.step_on(day)
        if step is None or self.paused_on(day) is not None:
            return None
        return step.dose_mg

    def pause(self, start: date, end: date | None = None, reason: str = "") -> TitrationPlan:
        """A copy with a new pause; overlapping pauses are refused so resume stays unambiguous."""
        new = Pause(start=start, end=end, reason=reason)
        for old in self.pauses:
            old_end = old.end or date.max
            new_end = new.end or date.max
            if new.start <= old_end and old.start <= new_end:
                raise PlanError(
                    f"pause {start}..{end or 'open'} overlaps the existing pause "
                    f"{old.start}..{old.end or 'open'}"
                )
        return replace(self, pauses=tuple(sorted((*self.pauses, new), key=lambda p: p.start)))

    def resume(self, on: date) -> TitrationPlan:
        """Close the open pause so dosing restarts on `on` (the last paused day is `on - 1`)."""
        open_pauses = [p for p in self.pauses if p.end is None]
        if not open_pauses:
            raise PlanError(f"resume needs an open pause, but none is open (asked for {on})")
        pause = open_pauses[0]
        if on <= pause.start:
            raise PlanError(f"resume date must be after the pause start {pause.start}, got {on}")
        closed = replace(pause, end=on - timedelta(days=1))
        return replace(self, pauses=tuple(closed if p is pause else p for p in self.pauses))

    def segments(self) -> list[tuple[PlanStep, date, date | None]]:
        """Dosing runs as (step, first day, last day or None) with pauses cut out."""
        runs: list[tuple[PlanStep, date, date | None]] = []
        for step in self.steps:
            first = self.start + timedelta(days=step.from_day)
            last = None if step.to_day is None else self.start + timedelta(days=step.to_day - 1)
            pieces: list[tuple[date, date | None]] = [(first, last)]
            for pause in sorted(self.pauses, key=lambda p: p.start):
                nxt: list[tuple[date, date | None]] = []
                for a, b in pieces:
                    b_eff = b or date.max
                    p_end = pause.end or date.max
                    if pause.start > b_eff or p_end < a:
                        nxt.append((a, b))
                        continue
                    if pause.start > a:
                        nxt.append((a, pause.start - timedelta(days=1)))
                    if p_end < b_eff:
                        nxt.append((p_end + timedelta(days=1), b))
                pieces = nxt
            runs.extend((step, a, b) for a, b in pieces)
        return runs


_STEP = re.compile(
    r"^\s*(?P<dose>[0-9]*\.?[0-9]+)\s*@\s*(?P<start>\d+)\s*(?:-\s*(?P<end>\d+))?\s*$"
)


def parse_steps(text: str) -> tuple[PlanStep, ...]:
    """Parse "1.5@0,3@14,4.5@28" (optionally "4.5@28-56" to end the last step) into steps."""
    if not text or not text.strip():
        raise PlanError("steps must be like '1.5@0,3@14,4.5@28', got an empty string")
    parsed: list[tuple[float, int, int | None]] = []
    for i, chunk in enumerate(text.split(","), start=1):
        m = _STEP.match(chunk)
        if m is None:
            raise PlanError(
                f"step {i} must look like DOSE@DAY (e.g. 1.5@0) or DOSE@FROM-TO, got {chunk.strip()!r}"
            )
        end = int(m["end"]) if m["end"] is not None else None
        parsed.append((float(m["dose"]), int(m["start"]), end))
    days = [p[1] for p in parsed]
    if days != sorted(days) or len(set(days)) != len(days):
        raise PlanError(f"step start days must strictly increase, got {days}")
    steps: list[PlanStep] = []
    for i, (dose, start, end) in enumerate(parsed):
        if i + 1 < len(parsed):
            nxt = parsed[i + 1][1]
            if end is not None and end != nxt:
                raise PlanError(
                    f"step {i + 1} ends on day {end} but the next step starts on day {nxt}"
                )
            end = nxt
        steps.append(PlanStep(dose_mg=dose, from_day=start, to_day=end))
    return tuple(steps)


def plan_from_steps(text: str, start: date, name: str = "custom") -> TitrationPlan:
    """Build a plan starting on `start` from a step string."""
    return TitrationPlan(start=start, steps=parse_steps(text), name=name)
