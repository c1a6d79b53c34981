"""Weekly adherence: doses taken / doses planned, per ISO week (Monday to Sunday)."""

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
    plan: TitrationPlan,
    records: Iterable[tuple[date, bool]],
    start: date,
    end: date,
) -> list[WeekAdherence]:
    """Count planned, taken, missed and unrecorded doses per week between start and end.

    A day with several records counts as taken if any record says taken: logging the same dose
    twice must not raise adherence above 100 %. Doses logged on days with nothing planned
    (paused, before start) are counted separately because during a surgery pause they matter.
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
            due = plan.dose_on(day) is not None
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
