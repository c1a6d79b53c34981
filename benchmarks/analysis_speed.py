"""Speed of the before/after analysis: 5 years x 10 symptoms must take < 0.5 s.

Reference measured in the same run: statsmodels GLSAR (iterated Cochrane-Orcutt) fitted once per
symptom on the same design, the textbook tool without gap handling, REML or dose response.
Usage: .venv/bin/python benchmarks/analysis_speed.py
"""

from __future__ import annotations

import time

import numpy as np
import statsmodels.api as sm

from ldn.analysis import DailySeries, Scenario, analyse_before_after, simulate_series
from ldn.analysis.before_after import _design

BUDGET_S = 0.5


def five_year_diary() -> DailySeries:
    sc = Scenario("5y", phi=0.5, effect=-1.0, dose_days=5 * 365 - 56)
    base = simulate_series(sc, np.random.default_rng(0), symptoms=tuple(f"s{i}" for i in range(10)))
    dose = base.dose_mg.copy()
    dose[400:800] = 3.0  # a year at a lower dose, so the dose-response fit runs too
    return DailySeries(base.dates, dose, base.scores)


def best_of(fn, repeats: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    series = five_year_diary()
    analyse_before_after(series)  # warm caches (YAML, scipy)
    ours = best_of(lambda: analyse_before_after(series))
    report = analyse_before_after(series)
    labels = np.array(report.plan.labels)
    start = int(series.day[series.dates.index(report.plan.start)])

    def reference() -> None:
        for y in series.scores.values():
            seen = ~np.isnan(y)
            x, _ = _design(series.day[seen], labels[seen], start, pooled=True)
            sm.GLSAR(y[seen], x, rho=1).iterative_fit(maxiter=10)

    ref = best_of(reference)
    n_days = len(series.dates)
    print(
        f"{n_days} days x {len(series.scores)} symptoms ({sum(len(s.dose_effects) > 0 for s in report.symptoms)} with dose response)"
    )
    print(
        f"ours (REML AR(1), pooled + per-dose fits): {ours * 1000:7.1f} ms   budget {BUDGET_S * 1000:.0f} ms   "
        f"{'ok' if ours < BUDGET_S else 'OVER BUDGET'} ({ours / BUDGET_S:.2f} x budget)"
    )
    print(
        f"reference statsmodels GLSAR (pooled only):  {ref * 1000:7.1f} ms   ratio ours/reference {ours / ref:.2f}"
    )


if __name__ == "__main__":
    main()
