"""How often does each method call a no-effect series `likely_better`? (and power when there is one)

Shared by the test suite and `benchmarks/analysis_calibration.py`. Ours is `analyse_before_after`
exactly as patients get it. Comparators on the same series: a naive Welch t-test (all pre-LDN days vs
settled-dose days), and two textbook time-series fixes applied to our own design matrix: OLS with
Newey-West (HAC) standard errors and statsmodels GLSAR (iterated Cochrane-Orcutt, gaps ignored).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import statsmodels.api as sm
from scipy import stats

from ldn.analysis.before_after import ON_LDN, _design, analyse_before_after
from ldn.analysis.phases import assign_phases
from ldn.analysis.series import DailySeries
from ldn.analysis.simulate import Scenario, scenario_doses, simulate_scores

ALPHA = 0.05


def null_scenarios() -> tuple[Scenario, ...]:
    """Null cases: AR(1) phi 0-0.8, alone, with an improving trend, with a pre-start flare."""
    out = []
    for phi in (0.0, 0.3, 0.6, 0.8):
        out.append(Scenario(f"phi={phi} no trend", phi=phi))
        out.append(Scenario(f"phi={phi} improving trend", phi=phi, trend_total=-1.5))
        out.append(Scenario(f"phi={phi} flare before start", phi=phi, flare=3.0))
    return tuple(out)


def power_scenarios() -> tuple[Scenario, ...]:
    return tuple(
        Scenario(f"phi={phi} effect {eff:+.0f}", phi=phi, effect=eff)
        for eff in (-1.0, -2.0)
        for phi in (0.0, 0.3, 0.6, 0.8)
    )


@dataclass(frozen=True)
class CalibrationRow:
    """Share of series called likely_better, per method; `mc_se` is the Monte-Carlo SE at 5%."""

    scenario: Scenario
    n_series: int
    ours: float
    naive: float
    ols_hac: float
    glsar: float

    @property
    def mc_se(self) -> float:
        return float(np.sqrt(ALPHA * (1 - ALPHA) / self.n_series))


def _better(est: float, p: float) -> bool:
    return bool(est < 0 and p < ALPHA)


def _comparators(series: DailySeries, y: np.ndarray) -> tuple[bool, bool, bool]:
    plan = assign_phases(series)
    labels = np.array(plan.labels)
    seen = ~np.isnan(y)
    pre = y[seen & (np.nan_to_num(series.dose_mg) == 0)]
    post = y[seen & np.char.startswith(labels, "dose_")]
    t = stats.ttest_ind(post, pre, equal_var=False)
    naive = _better(float(post.mean() - pre.mean()), float(t.pvalue))
    day = series.day
    start_day = int(day[series.dates.index(plan.start)])
    x, names = _design(day[seen], labels[seen], start_day, pooled=True)
    i = names.index(ON_LDN)
    n = int(seen.sum())
    hac = sm.OLS(y[seen], x).fit(
        cov_type="HAC", cov_kwds={"maxlags": int(4 * (n / 100) ** (2 / 9))}
    )
    gl = sm.GLSAR(y[seen], x, rho=1).iterative_fit(maxiter=10)
    return (
        naive,
        _better(float(hac.params[i]), float(hac.pvalues[i])),
        _better(float(gl.params[i]), float(gl.pvalues[i])),
    )


def run_case(
    sc: Scenario,
    n_series: int,
    rng: np.random.Generator,
    comparators: bool = True,
    options: Mapping[str, Any] | None = None,
) -> CalibrationRow:
    """Simulate n_series diaries under `sc` and count likely_better verdicts per method."""
    scores = simulate_scores(sc, rng, n_series)
    dates = tuple(dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(sc.n_days))
    dose = scenario_doses(sc)
    hits = np.zeros(4)
    for y in scores:
        series = DailySeries(dates=dates, dose_mg=dose, scores={"pain": y})
        res = analyse_before_after(series, **(options or {})).symptoms[0]
        hits[0] += res.verdict == "likely_better"
        if comparators:
            hits[1:] += _comparators(series, y)
    rates = hits / n_series
    if not comparators:
        rates[1:] = np.nan
    return CalibrationRow(sc, n_series, *(float(r) for r in rates))
