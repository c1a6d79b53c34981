"""Why the timing experiment compares block means: candidate rules on the same simulated data.

For each design (phi x pairs x block length) and the data of ldn.analysis.timing.simulated_data,
four rules, each with Bonferroni over the 5 outcomes and the same claim rule (interval excludes
zero, difference at least 1 point):
  blocks     morning-block means against bedtime-block means, t with df = blocks - 2 (chosen)
  pairs      the N-of-1 pair-by-pair t, df = pairs - 1 (the rule before)
  ar1 dfeff  day-level regression on arm with AR(1) errors (ldn.analysis.ar1.fit_ar1), t with
             its df_effective (allows for phi being estimated)
  ar1 dfres  the same with df = days - 2
Prints the share of experiments with any claim and no effect, and the power for a 4-point drop
in vivid dreams (runs // 2 experiments). Asserts nothing.

    python benchmarks/timing_methods.py [runs]
"""

from __future__ import annotations

import sys

import numpy as np
from scipy import special

from ldn.analysis.ar1 import fit_ar1
from ldn.analysis.timing import (
    CLAIMS,
    MIN_DIFFERENCE,
    MORNING,
    OUTCOMES,
    analyse,
    blocks,
    simulated_data,
)

RULES = ("blocks", "pairs", "ar1 dfeff", "ar1 dfres")
K = len(OUTCOMES)


def _claims(rng: np.random.Generator, effect: float, **kw: float) -> dict[str, list[str]]:
    """Per rule, the claim on each outcome (vivid dreams first in OUTCOMES order)."""
    s, dates, series = simulated_data(rng, effect=effect, **kw)  # type: ignore[arg-type]
    result = analyse(s, dates, series)
    out = {"blocks": [r.claim for r in result.outcomes], "pairs": []}
    out["pairs"] = [r.check_claim for r in result.outcomes]
    day = np.arange(len(dates))
    analysed = np.zeros(len(dates), bool)
    morning = np.zeros(len(dates))
    for b in blocks(s):
        sel = np.array([b.analysed_from <= d <= b.end for d in dates])
        analysed |= sel
        morning[sel] = b.time == MORNING
    for rule in ("ar1 dfeff", "ar1 dfres"):
        out[rule] = []
    for o in OUTCOMES:
        y = series[o.key]
        keep = analysed & ~np.isnan(y)
        x = np.column_stack([np.ones(keep.sum()), morning[keep]])
        fit = fit_ar1(day[keep], y[keep], x, ("const", "morning"))
        sign = 1.0 if o.higher_is_better else -1.0
        diff, se = sign * fit.params[1], fit.bse[1]
        for rule, df in (("ar1 dfeff", fit.df_effective), ("ar1 dfres", fit.df_resid)):
            q = float(special.stdtrit(df, 1 - 0.05 / (2 * K)))
            lo, hi = diff - q * se, diff + q * se
            if se > 0 and lo > 0 and diff >= MIN_DIFFERENCE:
                out[rule].append("morning_better")
            elif se > 0 and hi < 0 and diff <= -MIN_DIFFERENCE:
                out[rule].append("bedtime_better")
            else:
                out[rule].append("no_clear_difference")
    return out


def main(runs: int = 1000) -> None:
    dreams = [o.key for o in OUTCOMES].index("vivid_dreams")
    print(f"{runs} null experiments per row ({runs // 2} for power), 5 outcomes, 10% missing")
    print("                   any claim, no effect               power 4 pts")
    print(
        "  phi pairs days  "
        + "  ".join(f"{r:>9}" for r in RULES)
        + "   "
        + "  ".join(f"{r:>9}" for r in RULES)
    )
    for phi in (0.0, 0.3, 0.6, 0.8):
        for pairs in (2, 3, 4):
            for days in (7, 10):
                rng = np.random.default_rng([20261203, int(phi * 10), pairs, days])
                kw = {"phi": phi, "pairs": pairs, "block_days": days}
                null = dict.fromkeys(RULES, 0)
                for _ in range(runs):
                    for rule, claims in _claims(rng, 0.0, **kw).items():
                        null[rule] += any(c in CLAIMS for c in claims)
                found = dict.fromkeys(RULES, 0)
                for _ in range(runs // 2):
                    for rule, claims in _claims(rng, 4.0, **kw).items():
                        found[rule] += claims[dreams] == "morning_better"
                print(
                    f"  {phi:.1f} {pairs:>5} {days:>4}  "
                    + "  ".join(f"{null[r] / runs:>9.3f}" for r in RULES)
                    + "   "
                    + "  ".join(f"{found[r] / (runs // 2):>9.3f}" for r in RULES),
                    flush=True,
                )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
