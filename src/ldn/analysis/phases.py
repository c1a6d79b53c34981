"""Split a day-by-day dose record into phases: baseline, run-in, titration, delayed onset, dose levels.

The last `guard_days` before the first dose form their own "run-in" phase and never serve as the
reference: people tend to start LDN after a bad spell, and a flare that ends around the start date
would otherwise look like improvement (regression to the mean). The reference is the earlier baseline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ldn.analysis.errors import AnalysisInputError
from ldn.analysis.series import DailySeries

BASELINE = "baseline"
RUN_IN = "run_in"
TITRATION = "titration"
ONSET = "delayed_onset"
STOPPED = "stopped"


def dose_label(dose: float) -> str:
    return f"dose_{dose:g}mg"


@dataclass(frozen=True, eq=False)
class PhasePlan:
    """One phase label per day of the series, with the dates that define them."""

    labels: tuple[str, ...]
    start: dt.date
    maintenance_start: dt.date | None
    baseline_end: dt.date | None
    guard_days: int
    exclude_weeks: int

    def mask(self, *names: str) -> NDArray[np.bool_]:
        return np.isin(np.array(self.labels), list(names))


def _maintenance_start(
    day: NDArray[np.int64], dose: NDArray[np.float64], min_days: int
) -> int | None:
    """Index of the first day of the first run of >= min_days calendar days at one nonzero dose."""
    run_start = 0
    for i in range(1, len(dose) + 1):
        if i == len(dose) or dose[i] != dose[run_start]:
            if dose[run_start] > 0 and day[i - 1] - day[run_start] + 1 >= min_days:
                return run_start
            run_start = i
    return None


def assign_phases(
    series: DailySeries,
    *,
    baseline_end: dt.date | None = None,
    guard_days: int = 14,
    exclude_weeks: int = 0,
    maintenance_min_days: int = 21,
) -> PhasePlan:
    """Label each day; raises AnalysisInputError when there is no baseline or no LDN day at all."""
    if guard_days < 0:
        raise AnalysisInputError(f"guard_days must be 0 or more, got {guard_days}")
    if exclude_weeks < 0:
        raise AnalysisInputError(f"exclude_weeks must be 0 or more, got {exclude_weeks}")
    dose = series.dose_mg
    on = np.flatnonzero(np.nan_to_num(dose) > 0)
    if on.size == 0:
        raise AnalysisInputError("ldn_dose_mg must be above 0 on at least one day, got no LDN days")
    first = int(on[0])
    if first == 0:
        raise AnalysisInputError(
            "the data must start with days before LDN (a baseline), got LDN from the first day"
        )
    start = series.dates[first]
    if baseline_end is not None and baseline_end >= start:
        raise AnalysisInputError(
            f"baseline_end must be before the first LDN day {start.isoformat()}, "
            f"got {baseline_end.isoformat()}"
        )
    day = series.day
    # After the start an empty dose means "not recorded": carry the last dose forward.
    filled = np.array(dose, dtype=float)
    for i in range(first + 1, len(filled)):
        if np.isnan(filled[i]):
            filled[i] = filled[i - 1]
    post = slice(first, None)
    m_rel = _maintenance_start(day[post], filled[post], maintenance_min_days)
    m_idx = None if m_rel is None else first + m_rel
    start_day = int(day[first])
    labels: list[str] = []
    for i, d in enumerate(series.dates):
        if i < first:
            in_window = (start_day - day[i]) <= guard_days
            after_end = baseline_end is not None and d > baseline_end
            labels.append(RUN_IN if in_window or after_end else BASELINE)
        elif filled[i] <= 0:
            labels.append(STOPPED)
        elif m_idx is None or i < m_idx:
            labels.append(TITRATION)
        elif day[i] - start_day < 7 * exclude_weeks:
            labels.append(ONSET)
        else:
            labels.append(dose_label(float(filled[i])))
    return PhasePlan(
        labels=tuple(labels),
        start=start,
        maintenance_start=None if m_idx is None else series.dates[m_idx],
        baseline_end=baseline_end,
        guard_days=guard_days,
        exclude_weeks=exclude_weeks,
    )
