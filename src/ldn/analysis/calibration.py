"""Calibration of the before/after verdict: false verdicts, power, multiplicity, trend rule, forecast.

Shared by the test suite and `benchmarks/analysis_calibration.py`. Ours is `analyse_before_after`
exactly as patients get it (the forecast switched off where it is not measured). The comparator on the
same series is a naive Welch t-test (all pre-LDN days vs settled-dose days, two-sided 5%).
The standard situation is the 12-week review: 4 weeks of baseline, 4 weeks of titration, 8 weeks on a
settled dose, AR(1) noise with SD 1.5, a true effect that begins (half of it) during titration.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import special

from ldn.analysis.batch import batch_verdicts
from ldn.analysis.before_after import TREND_RULE_P
from ldn.analysis.forecast import CHECKED_WEEKS, forecast_detection
from ldn.analysis.phases import PhasePlan, assign_phases
from ldn.analysis.series import DailySeries
from ldn.analysis.simulate import Scenario, scenario_doses, simulate_scores

ALPHA = 0.05
PHIS = (0.0, 0.3, 0.6, 0.8)
FIRST_DAY = dt.date(2024, 1, 1)


def review(name: str, **kw: Any) -> Scenario:
    """The 12-week review design (4 weeks baseline, 4 titration, 8 settled) with overrides."""
    base: dict[str, Any] = {"baseline_days": 28, "titration_days": 28, "dose_days": 56}
    return Scenario(name, **(base | kw))


def null_scenarios() -> tuple[Scenario, ...]:
    """No effect: phi 0-0.8, alone and with a +3-point pre-start flare of 7 or 14 days."""
    out = []
    for phi in PHIS:
        out.append(review(f"phi={phi} no flare", phi=phi))
        out.append(review(f"phi={phi} flare 7 d", phi=phi, flare=3.0, flare_days=7))
        out.append(review(f"phi={phi} flare 14 d", phi=phi, flare=3.0, flare_days=14))
    return tuple(out)


def trend_scenarios() -> tuple[Scenario, ...]:
    """An improving trend of 1.5 points over the 16 weeks, no effect (and a true effect with it)."""
    return tuple(review(f"phi={phi} trend -1.5/16 wk", phi=phi, trend_total=-1.5) for phi in PHIS)


def power_scenarios() -> tuple[Scenario, ...]:
    return tuple(
        review(
            f"phi={phi} eff {eff:+.0f} base {bw} wk settled {w:>2} wk",
            phi=phi,
            effect=eff,
            baseline_days=7 * bw,
            dose_days=7 * w,
        )
        for bw in (4, 6)
        for eff in (-2.0, -1.0)
        for phi in PHIS
        for w in (4, 8, 12, 20)
    )


@dataclass(frozen=True)
class CalibrationRow:
    """Shares of series per verdict for ours (with and without the trend rule) and the naive test."""

    scenario: Scenario
    n_series: int
    better: float
    worse: float
    better_without_rule: float
    naive_better: float
    naive_worse: float
    coverage: float
    better_by_rule_p: tuple[tuple[float, float], ...] = ()

    @property
    def mc_se(self) -> float:
        return float(np.sqrt(ALPHA * (1 - ALPHA) / self.n_series))


def _dates(n: int) -> tuple[dt.date, ...]:
    return tuple(FIRST_DAY + dt.timedelta(days=i) for i in range(n))


def _naive(pre_mask: np.ndarray, post_mask: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Welch t-test per row, all pre-LDN days against settled-dose days (scipy's formula)."""

    def moments(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        v = np.where(mask[None, :], y, np.nan)
        n = np.sum(~np.isnan(v), axis=1)
        return np.nanmean(v, axis=1), np.nanvar(v, axis=1, ddof=1) / n, n

    (ma, va, na), (mb, vb, nb) = moments(pre_mask), moments(post_mask)
    diff = mb - ma
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    p = 2 * special.stdtr(df, -np.abs(diff) / np.sqrt(va + vb))
    return (diff < 0) & (p < ALPHA), (diff > 0) & (p < ALPHA)


def _setup(sc: Scenario) -> tuple[tuple[dt.date, ...], np.ndarray, PhasePlan, int]:
    dates, dose = _dates(sc.n_days), scenario_doses(sc)
    plan = assign_phases(DailySeries(dates, dose, {"x": np.zeros(sc.n_days)}))
    return dates, dose, plan, sc.baseline_days


def run_case(sc: Scenario, n_series: int, rng: np.random.Generator) -> CalibrationRow:
    """Simulate n_series diaries under `sc`; verdicts exactly as `analyse_before_after` gives them
    (batched, see `ldn.analysis.batch`) and the naive t-test on the same series."""
    scores = simulate_scores(sc, rng, n_series)
    _, dose, plan, start = _setup(sc)
    day = np.arange(sc.n_days, dtype=np.int64)
    res = batch_verdicts(day, scores, plan, start)
    nb, nw = _naive(dose == 0, np.char.startswith(np.array(plan.labels), "dose_"), scores)
    better = res.verdict == "likely_better"
    candidates = better | res.downgraded  # called better before the trend rule
    rule_p = (0.01, 0.025, 0.05, 0.10)
    rules = tuple(
        (q, float(np.mean(candidates & ~((res.trend_hi >= 0) & (res.slope_p_improving < q)))))
        for q in rule_p
    )
    covered = (res.ci_low <= sc.effect) & (sc.effect <= res.ci_high)
    return CalibrationRow(
        sc,
        n_series,
        float(np.mean(better)),
        float(np.mean(res.verdict == "likely_worse")),
        float(np.mean(candidates)),
        float(np.mean(nb)),
        float(np.mean(nw)),
        float(np.mean(covered)),
        rules,
    )


def family_wise_rate(
    sc: Scenario, n_symptoms: int, n_series: int, rng: np.random.Generator
) -> float:
    """Share of patients with no true change in any of n symptoms given at least one false verdict."""
    scores = simulate_scores(sc, rng, n_series * n_symptoms)
    _, _, plan, start = _setup(sc)
    day = np.arange(sc.n_days, dtype=np.int64)
    res = batch_verdicts(day, scores, plan, start, n_symptoms=n_symptoms)
    false = np.isin(res.verdict, ("likely_better", "likely_worse")).reshape(n_series, n_symptoms)
    return float(np.mean(false.any(axis=1)))


@dataclass(frozen=True)
class ForecastCheck:
    """Forecast made at the end of baseline vs the empirical 80%-detection point of the verdict."""

    scenario: Scenario
    n_series: int
    empirical_weeks: float | None  # settled weeks at which 80% of series are called (None: > max)
    forecast_median_days: float | None  # median forecast settled days (None: most say unreachable)
    share_unreachable: float
    share_within_week: float
    max_weeks: int = CHECKED_WEEKS

    @property
    def agrees(self) -> bool:
        """The median forecast is within a week of the empirical point. When 80% is not reached
        in `max_weeks` the point lies beyond them: a forecast of at least `max_weeks` (or none
        within the forecast's 2-year horizon) can be within a week of it, an earlier one cannot."""
        if self.empirical_weeks is None:
            return (
                self.forecast_median_days is None or self.forecast_median_days >= 7 * self.max_weeks
            )
        if self.forecast_median_days is None:
            return False
        return abs(self.forecast_median_days - 7 * self.empirical_weeks) <= 7


def forecast_check(
    sc: Scenario,
    n_series: int,
    rng: np.random.Generator,
    max_weeks: int = CHECKED_WEEKS,
    empirical_factor: int = 4,
) -> ForecastCheck:
    """Simulate diaries with `max_weeks` settled; forecast from the baseline days alone.

    The forecast is made for the first `n_series` patients; the empirical 80% point is measured on
    `empirical_factor` times as many (same design): near 80% the power curve rises only 1-2 points
    a week, so with 400 patients its Monte-Carlo error (2 points) alone moved the point by 1-2 weeks.
    """
    long = replace(sc, dose_days=7 * max_weeks)
    scores = simulate_scores(long, rng, n_series * empirical_factor)
    dates, dose = _dates(long.n_days), scenario_doses(long)
    b, m = sc.baseline_days, sc.baseline_days + sc.titration_days
    change = abs(sc.effect)
    forecast_days: list[float] = []
    for y in scores[:n_series]:
        fc = forecast_detection(
            dates[:b],
            y[:b],
            today=dates[b],
            start=None,
            settled_start=None,
            changes=(change,),
            planned_baseline_days=b,
            planned_titration_days=sc.titration_days,
            rule_cost=TREND_RULE_P,
        )
        hit = fc.detections[0].settled_days
        forecast_days.append(np.inf if hit is None else float(hit))

    @functools.cache  # the bisection and the interpolation ask for some weeks twice
    def power_at(w: int) -> float:
        end = m + 7 * w
        plan = assign_phases(DailySeries(dates[:end], dose[:end], {"x": np.zeros(end)}))
        day = np.arange(end, dtype=np.int64)
        res = batch_verdicts(day, scores[:, :end], plan, b)
        return float(np.mean(res.verdict == "likely_better"))

    # Power rises with time on a settled dose: bisect for the first week reaching 80%, then
    # interpolate linearly from the week before, so the point is not up to a week late (the
    # forecast is in days). Not below a week in which no verdict can be given yet (power 0).
    empirical = None
    if power_at(max_weeks) >= 0.8:
        lo, hi = 1, max_weeks
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if power_at(mid) >= 0.8 else (mid + 1, hi)
        empirical = float(lo)
        before, after = (power_at(lo - 1) if lo > 1 else 0.0), power_at(lo)
        if before > 0:
            empirical = lo - 1 + (0.8 - before) / (after - before)
    f = np.array(forecast_days)
    median = float(np.median(f))
    within = (
        float(np.mean(np.abs(f - 7 * empirical) <= 7))
        if empirical is not None
        else float(np.mean(f >= 7 * max_weeks))
    )
    return ForecastCheck(
        sc,
        n_series,
        empirical,
        None if np.isinf(median) else median,
        float(np.mean(np.isinf(f))),
        within,
        max_weeks,
    )
