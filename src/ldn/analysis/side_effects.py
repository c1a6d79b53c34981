"""Side effects over time: share of recorded days with each side effect, by week since start and dose.

Proportions come with Wilson 95% intervals (statsmodels `proportion_confint`), so a week with two
recorded days does not look like a certainty. The usual course (e.g. "vivid dreams often fade") is
passed in from the knowledge base by the caller, keeping this module free of clinical claims.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from statsmodels.stats.proportion import proportion_confint

from ldn.analysis.errors import AnalysisInputError


@dataclass(frozen=True)
class IncidenceCell:
    """Days with the side effect out of days it was recorded (yes or no), with a Wilson interval."""

    group: str
    days_recorded: int
    days_with: int
    proportion: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class SideEffectCourse:
    name: str
    by_week: tuple[IncidenceCell, ...]
    by_dose: tuple[IncidenceCell, ...]
    usual_course: str | None
    sentence: str


@dataclass(frozen=True)
class SideEffectReport:
    start: dt.date
    effects: tuple[SideEffectCourse, ...]
    method: str = "Share of recorded days with the side effect; Wilson 95% intervals."


def _cell(group: str, values: NDArray[np.float64]) -> IncidenceCell:
    seen = values[~np.isnan(values)]
    n, k = int(seen.size), int(np.sum(seen > 0))
    if n == 0:
        return IncidenceCell(group, 0, 0, None, None, None)
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    return IncidenceCell(group, n, k, k / n, float(lo), float(hi))


def side_effect_course(
    dates: Sequence[dt.date],
    dose_mg: Sequence[float] | NDArray[np.float64],
    reports: Mapping[str, Sequence[float] | NDArray[np.float64]],
    *,
    usual_course: Mapping[str, str] | None = None,
) -> SideEffectReport:
    """Incidence of each side effect (1 = had it, 0 = recorded absent, NaN = not recorded) on LDN."""
    dose = np.nan_to_num(np.asarray(dose_mg, dtype=float))
    on = np.flatnonzero(dose > 0)
    if on.size == 0:
        raise AnalysisInputError("ldn_dose_mg must be above 0 on at least one day, got no LDN days")
    start = dates[int(on[0])]
    week = np.array([(d - start).days // 7 + 1 for d in dates])
    courses = []
    for name, raw in reports.items():
        values = np.asarray(raw, dtype=float)
        if values.shape != dose.shape:
            raise AnalysisInputError(
                f"{name} must have one entry per day ({dose.size}), got {values.shape[0]}"
            )
        on_ldn = dose > 0
        by_week = tuple(
            _cell(f"week {w}", values[on_ldn & (week == w)]) for w in np.unique(week[on_ldn])
        )
        by_dose = tuple(
            _cell(f"{mg:g} mg", values[on_ldn & (dose == mg)]) for mg in np.unique(dose[on_ldn])
        )
        courses.append(
            SideEffectCourse(
                name, by_week, by_dose, (usual_course or {}).get(name), _sentence(name, by_week)
            )
        )
    return SideEffectReport(start=start, effects=tuple(courses))


def _sentence(name: str, by_week: Sequence[IncidenceCell]) -> str:
    recorded = [c for c in by_week if c.days_recorded]
    if not recorded:
        return f"No days recorded for {name} on LDN yet."
    first, last = recorded[0], recorded[-1]
    text = f"{name.capitalize()}: {first.days_with} of {first.days_recorded} days in {first.group}"
    if last is not first:
        text += f", {last.days_with} of {last.days_recorded} days in {last.group}"
    return text + "."
