"""Adherence: doses taken / doses due, per ISO week (Monday to Sunday) and over a span.

This module is the one definition every screen uses (the dashboard, the plan page, the visit
report, `ldn journal stats`, the clinic list):

- a night is *due* when the plan schedules a dose on it; nights in a pause and before the plan's
  start are not due (with no plan at all, every night from the span's start is due);
- adherence is taken / due;
- a due night with nothing logged is *not logged*: it is not known to be missed, so it is
  counted apart from *missed*, but it is not a taken dose either, so it lowers the percentage;
- tonight's dose is not due yet: callers end the span at the patient's yesterday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from ldn.dosing.errors import PlanError
from ldn.dosing.plan import TitrationPlan


@dataclass(frozen=True)
class WeekAdherence:
    """One week's counts. `ratio` is None when nothing was planned (a paused week, say)."""

    week_start: date
    planned: int
    taken: int
    missed: int
    unrecorded: int
    taken_while_not_planned: int

    @property
    def ratio(self) -> float | None:
        """taken / planned, or None when no dose was planned this week."""
        return None if self.planned == 0 else self.taken / self.planned


def weekly_adherence(
    plan: TitrationPlan | None,
    records: Iterable[tuple[date, bool]],
    start: date,
    end: date,
) -> list[WeekAdherence]:
    """Count planned, taken, missed and unrecorded doses per week between start and end.

    A day with several records counts as taken if any record says taken: logging the same dose
    twice must not raise adherence above 100 %. Doses logged on days with nothing planned
    (paused, before start) are counted separately because during a surgery pause they matter.
    With `plan` None every day is due.
    """
    if end < start:
        raise PlanError(f"end must not be before start {start}, got {end}")
    by_day: dict[date, bool] = {}
    for day, was_taken in records:
        by_day[day] = by_day.get(day, False) or bool(was_taken)
    weeks: list[WeekAdherence] = []
    week_start = start - timedelta(days=start.weekday())
    while week_start <= end:
        planned = taken = missed = unrecorded = extra = 0
        for offset in range(7):
            day = week_start + timedelta(days=offset)
            if day < start or day > end:
                continue
            due = plan is None or plan.dose_on(day) is not None
            record = by_day.get(day)
            if due:
                planned += 1
                if record is True:
                    taken += 1
                elif record is False:
                    missed += 1
                else:
                    unrecorded += 1
            elif record is True:
                extra += 1
        weeks.append(WeekAdherence(week_start, planned, taken, missed, unrecorded, extra))
        week_start += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class Adherence:
    """Doses due, taken, logged as missed and not logged between `start` and `end` (inclusive),
    with the weeks they were counted in. `pct` is None when nothing was due."""

    start: date
    end: date
    weeks: tuple[WeekAdherence, ...]

    @property
    def due(self) -> int:
        return sum(w.planned for w in self.weeks)

    @property
    def taken(self) -> int:
        return sum(w.taken for w in self.weeks)

    @property
    def missed(self) -> int:
        return sum(w.missed for w in self.weeks)

    @property
    def unlogged(self) -> int:
        return sum(w.unrecorded for w in self.weeks)

    @property
    def pct(self) -> float | None:
        """100 * taken / due, or None when no dose was due."""
        return None if self.due == 0 else 100.0 * self.taken / self.due


def adherence(
    plan: TitrationPlan | None,
    records: Iterable[tuple[date, bool]],
    start: date,
    end: date,
) -> Adherence:
    """Adherence between `start` and `end` (see the module's definition). A span that ends
    before it starts (a plan that begins today, counted to yesterday) is empty: nothing due."""
    if end < start:
        return Adherence(start, end, ())
    return Adherence(start, end, tuple(weekly_adherence(plan, records, start, end)))


# A product convention, not a clinical rule: a dose logged more than an hour after the
# patient's own bedtime is shown as late, so drift in timing is visible in the journal.
LATE_AFTER_MINUTES = 60


def minutes_late(taken: time, bedtime: time, grace: int = LATE_AFTER_MINUTES) -> int | None:
    """Minutes after bedtime when beyond `grace`, else None; doses after midnight count as late
    for the previous evening (a 22:00 bedtime and a 01:30 dose are 210 minutes late)."""
    taken_min = taken.hour * 60 + taken.minute
    bed_min = bedtime.hour * 60 + bedtime.minute
    delta = taken_min - bed_min
    if delta < -12 * 60:  # after midnight
        delta += 24 * 60
    return delta if delta > grace else None
