"""Calibration of the bedtime-or-morning experiment (ldn.analysis.timing) on simulated data.

No timing effect: how often does the rule claim a difference (any of 5 outcomes, and per
outcome)? With an effect on vivid dreams: how often is it found (power)? Daily ratings are
AR(1) noise (phi 0.5, SD 1.5) around 5 on a 0-10 scale, rounded and clipped, 10% missing days;
blocks of 7 days with 2 wash-out days. Prints figures; asserts nothing.

    python benchmarks/timing_calibration.py [runs]
"""

from __future__ import annotations

import sys

import numpy as np

from ldn.analysis.timing import false_claim_rate, power


def main(runs: int = 5000) -> None:
    print(f"{runs} simulated experiments per row, 5 outcomes, blocks of 7 days")
    print("pairs  any-claim (no effect)  per-outcome (no effect)  power 2 pts  power 4 pts")
    for pairs in (2, 3, 4):
        rng = np.random.default_rng(20261201 + pairs)
        any_claim, per_outcome = false_claim_rate(rng, runs=runs, pairs=pairs)
        p2 = power(rng, 2.0, runs=runs // 5, pairs=pairs)
        p4 = power(rng, 4.0, runs=runs // 5, pairs=pairs)
        print(f"{pairs:>5}  {any_claim:>21.3f}  {per_outcome:>23.4f}  {p2:>11.3f}  {p4:>11.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
