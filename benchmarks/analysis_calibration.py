"""Calibration table for `ldn analyze` in the 12-week review design (4 wk baseline, 4 wk titration).

Prints: false verdicts per case and direction beside a naive Welch t-test, interval coverage; power per
horizon on a settled dose (4/8/12/20 weeks) for 1 and 2 points, phi 0-0.8, 4 and 6 weeks of
baseline; the improving-trend case with and without the downgrade rule and what the rule costs; the
family-wise rate for 3 and 5 null symptoms; the "when will I know?" forecast against the empirical
80% detection point.
Usage: .venv/bin/python benchmarks/analysis_calibration.py [N_SERIES=1000] [WORKERS=2] [forecast]
With `forecast`, only the forecast's table, with N_SERIES patients per case (the whole benchmark caps
them at FORECAST_N to bound its time).
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from ldn.analysis.before_after import TREND_RULE_P
from ldn.analysis.calibration import (
    PHIS,
    CalibrationRow,
    ForecastCheck,
    family_wise_rate,
    forecast_check,
    null_scenarios,
    power_scenarios,
    review,
    run_case,
    trend_scenarios,
)

# A 2-point change with the 4-week baseline where it can be reached (phi <= 0.3), otherwise and for
# 1 point with 8 weeks of baseline (with 4 weeks the reference days make them unreachable).
FORECAST_CASES = tuple(
    review(
        f"phi={phi} eff -{eff} base {bw} wk",
        phi=phi,
        effect=-float(eff),
        baseline_days=7 * bw,
    )
    for eff in (2, 1)
    for phi in PHIS
    for bw in ((4,) if eff == 2 and phi <= 0.3 else (8,))
)
FORECAST_N = 400
FWER_CASES = ((0.3, 3), (0.3, 5))


def _job(args: tuple[str, Any, int, int]) -> Any:
    kind, payload, n, seed = args
    rng = np.random.default_rng(seed)
    if kind == "case":
        return run_case(payload, n, rng)
    if kind == "fwer":
        phi, m = payload
        return (phi, m, family_wise_rate(review("fwer", phi=phi), m, n, rng))
    return forecast_check(payload, n, rng)


def _print_forecast(checks: list[ForecastCheck], n: int) -> None:
    print(
        f"\n'When will I know?' ({n} patients per case, empirical point on 4x as many): forecast made at the end of baseline from the baseline days alone,"
    )
    print(
        "against the time on a settled dose at which 80% of simulated patients are called 'likely_better'"
    )
    print(
        "(interpolated between weeks; beyond 26 weeks a forecast of 26 weeks or more agrees, "
        "'within 1 wk' is then the share forecast at 26 weeks or more)"
    )
    print(
        f"{'case':26s} {'empirical':>10s} {'forecast median':>15s} {'unreachable':>11s} {'within 1 wk':>11s}  agree"
    )
    for c in checks:
        emp = f"{c.empirical_weeks:.1f} wk" if c.empirical_weeks else f"> {c.max_weeks} wk"
        med = (
            f"{c.forecast_median_days / 7:.1f} wk"
            if c.forecast_median_days is not None
            else "unreachable"
        )
        # Beyond the measured weeks "agrees" only says both lie past them (not within a week).
        verdict = "NO" if not c.agrees else "yes" if c.empirical_weeks else "both beyond"
        print(
            f"{c.scenario.name:26s} {emp:>10s} {med:>15s} {c.share_unreachable:11.3f} {c.share_within_week:11.3f}  {verdict}"
        )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    t0 = time.perf_counter()
    if sys.argv[3:] == ["forecast"]:
        jobs_f = [("forecast", s, n, 4000 + i) for i, s in enumerate(FORECAST_CASES)]
        with ProcessPoolExecutor(workers) as pool:
            _print_forecast(list(pool.map(_job, jobs_f)), n)
        print(f"\nwall time {time.perf_counter() - t0:.1f} s")
        return
    nulls, trends, powers = null_scenarios(), trend_scenarios(), power_scenarios()
    cases = nulls + trends + powers
    jobs: list[tuple[str, Any, int, int]] = [("case", s, n, 1000 + i) for i, s in enumerate(cases)]
    jobs += [("fwer", (phi, m), n, 3000 + i) for i, (phi, m) in enumerate(FWER_CASES)]
    jobs += [("forecast", s, min(n, FORECAST_N), 4000 + i) for i, s in enumerate(FORECAST_CASES)]
    with ProcessPoolExecutor(workers) as pool:
        out = list(pool.map(_job, jobs))
    rows: list[CalibrationRow] = out[: len(cases)]
    fwer = out[len(cases) : len(cases) + len(FWER_CASES)]
    checks: list[ForecastCheck] = out[len(cases) + len(FWER_CASES) :]
    mc = float(np.sqrt(0.05 * 0.95 / n))
    bound = 0.05 + 2 * mc
    print(
        f"Calibration, {n} series per case, 12-week review design (4 wk baseline, 4 wk titration, "
        f"8 wk settled), SD 1.5, 10% of days missing.\nNominal rate per direction 2.5% "
        f"(two-sided 95% interval); required <= 5%; Monte-Carlo SE at 5%: {mc:.4f}, "
        f"'ok' if <= 0.05 + 2 SE = {bound:.3f}"
    )
    print(
        "\nFalse verdicts with no true change (flare: +3 points over the last 7 or 14 baseline days, fading after the start)"
    )
    print(
        f"{'case':26s} {'ours better':>11s} {'ours worse':>10s} {'naive better':>12s} {'naive worse':>11s} {'95% cover':>9s}  verdict"
    )
    for r in rows[: len(nulls)]:
        ok = "ok" if max(r.better, r.worse) <= bound and r.coverage >= 0.93 else "FAIL"
        print(
            f"{r.scenario.name:26s} {r.better:11.3f} {r.worse:10.3f} {r.naive_better:12.3f} "
            f"{r.naive_worse:11.3f} {r.coverage:9.3f}  {ok}"
        )
    prow = {r.scenario.name: r for r in rows[len(nulls) + len(trends) :]}
    print("\nPower: share called 'likely_better' (with the trend rule) by weeks on a settled dose")
    print(f"{'baseline  effect  phi':26s} {'4 wk':>6s} {'8 wk':>6s} {'12 wk':>6s} {'20 wk':>6s}")
    for bw in (4, 6):
        for eff in (-2.0, -1.0):
            for phi in PHIS:
                vals = [
                    prow[f"phi={phi} eff {eff:+.0f} base {bw} wk settled {w:>2} wk"].better
                    for w in (4, 8, 12, 20)
                ]
                print(
                    f"{bw} wk      {eff:+.0f}      {phi:<4}       "
                    + " ".join(f"{v:6.3f}" for v in vals)
                )
    print(
        "At phi=0.6-0.8 power barely grows after 8 weeks: the 14 reference days (4-week baseline "
        "minus the 14-day run-in) limit it, not the time on LDN; 6 weeks of baseline helps more."
    )
    print(
        f"\nImproving trend of 1.5 points over the 16 weeks, no effect: false 'likely_better' (rule: trend one-sided p < {TREND_RULE_P} and trend-adjusted interval includes 0)"
    )
    print(
        f"{'case':26s} {'no rule':>8s} {'rule':>6s}   by rule threshold p<0.01/0.025/0.05/0.10   naive"
    )
    for r in rows[len(nulls) : len(nulls) + len(trends)]:
        th = " ".join(f"{v:.3f}" for _, v in r.better_by_rule_p)
        print(
            f"{r.scenario.name:26s} {r.better_without_rule:8.3f} {r.better:6.3f}   {th:38s}   {r.naive_better:.3f}"
        )
    print(
        "What the rule costs: power for a true improvement, review design (4 wk baseline, 8 wk settled)"
    )
    print(f"{'case':26s} {'no rule':>8s} {'rule':>6s}   by rule threshold p<0.01/0.025/0.05/0.10")
    for eff in (-2.0, -1.0):
        for phi in PHIS:
            r = prow[f"phi={phi} eff {eff:+.0f} base 4 wk settled  8 wk"]
            th = " ".join(f"{v:.3f}" for _, v in r.better_by_rule_p)
            print(
                f"phi={phi} eff {eff:+.0f}{'':14s} {r.better_without_rule:8.3f} {r.better:6.3f}   {th}"
            )
    print(
        "\nSeveral symptoms: Bonferroni (each interval at 1 - 0.05/m; verdict = interval leaves out 0)"
    )
    for phi, m, rate in fwer:
        print(
            f"phi={phi} {m} null symptoms: share of patients with any false verdict (either direction) {rate:.3f}"
        )
    _print_forecast(checks, min(n, FORECAST_N))
    print(f"\nwall time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
