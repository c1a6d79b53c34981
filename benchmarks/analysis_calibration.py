"""Calibration table for `ldn analyze`: false-positive `likely_better` rate on no-effect diaries.

Each case: 28-day baseline, 4-week titration, 150 days on 4.5 mg, noise SD 1.5 on 0-10 (rounded,
clipped), 10% of days missing. Columns: ours (what patients get), a naive Welch t-test, OLS with
Newey-West SEs and statsmodels GLSAR on the same design. Power rows: true improvement of 1 and 2
points. The last block prices our two protections (run-in guard, trend term) in power.
Usage: .venv/bin/python benchmarks/analysis_calibration.py [N_SERIES=1000] [WORKERS=2]
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from ldn.analysis.calibration import (
    CalibrationRow,
    Scenario,
    null_scenarios,
    power_scenarios,
    run_case,
)


def _job(args: tuple[Scenario, int, int, bool, dict[str, Any]]) -> CalibrationRow:
    sc, n, seed, comparators, options = args
    return run_case(sc, n, np.random.default_rng(seed), comparators, options)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    t0 = time.perf_counter()
    nulls, powers = null_scenarios(), power_scenarios()
    costly = tuple(s for s in nulls if "flare" in s.name or "trend" in s.name)
    jobs = [(s, n, 1000 + i, True, {}) for i, s in enumerate(nulls + powers)]
    jobs += [(s, n, 5000 + i, False, {"guard_days": 0}) for i, s in enumerate(costly + powers)]
    jobs += [(s, n, 9000 + i, False, {"model_trend": False}) for i, s in enumerate(costly + powers)]
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(_job, jobs))
    base = rows[: len(nulls) + len(powers)]
    rest = rows[len(base) :]
    no_guard = dict(zip([s.name for s in costly + powers], rest[: len(rest) // 2], strict=True))
    no_trend = dict(zip([s.name for s in costly + powers], rest[len(rest) // 2 :], strict=True))
    mc = float(np.sqrt(0.05 * 0.95 / n))
    print(
        f"Calibration, {n} series per case (Monte-Carlo SE at 5%: {mc:.4f}; "
        f"pass if ours <= 0.05 + 2*SE = {0.05 + 2 * mc:.3f})"
    )
    head = f"{'case':30s} {'ours':>6s} {'naive t':>8s} {'OLS+HAC':>8s} {'GLSAR':>7s}  verdict"
    print("\nFalse-positive rate of 'likely_better' when there is no effect")
    print(head)
    for r in base[: len(nulls)]:
        ok = "ok" if r.ours <= 0.05 + 2 * mc else "FAIL"
        print(
            f"{r.scenario.name:30s} {r.ours:6.3f} {r.naive:8.3f} {r.ols_hac:8.3f} {r.glsar:7.3f}  {ok}"
        )
    print("\nPower: share called 'likely_better' with a true improvement")
    print(head[:-9])
    for r in base[len(nulls) :]:
        print(f"{r.scenario.name:30s} {r.ours:6.3f} {r.naive:8.3f} {r.ols_hac:8.3f} {r.glsar:7.3f}")
    print("\nCost of our protections (ours as shipped vs without the run-in guard / trend term)")
    print(f"{'case':30s} {'shipped':>8s} {'no guard':>9s} {'no trend':>9s}")
    shipped = {r.scenario.name: r for r in base}
    for name in no_guard:
        print(
            f"{name:30s} {shipped[name].ours:8.3f} {no_guard[name].ours:9.3f} "
            f"{no_trend[name].ours:9.3f}"
        )
    print(f"\nwall time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
