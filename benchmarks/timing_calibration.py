"""Calibration of the bedtime-or-morning experiment (ldn.analysis.timing) on simulated data.

No timing effect: how often is any difference claimed among the 5 outcomes? With an effect on
vivid dreams (2 or 4 points fewer on morning days): how often is it found (power)? Both for the
result shown (morning-block means against bedtime-block means, df = blocks - 2) and for the
pair-by-pair N-of-1 check (df = pairs - 1), which was the result before. Daily ratings are AR(1)
noise (SD 1.5) around 5 on a 0-10 scale, rounded and clipped, 10% missing days; 2 wash-out days
per block; phi x pairs x block length as in the table. Prints figures; asserts nothing.

    python benchmarks/timing_calibration.py [runs]

Monte Carlo error: with `runs` null experiments the any-claim share has a standard error of about
sqrt(0.05 * 0.95 / runs) (0.005 at 2000 runs); power uses runs // 2 experiments per figure.
"""

from __future__ import annotations

import sys

import numpy as np

from ldn.analysis.timing import CLAIMS, simulate

PHIS = (0.0, 0.3, 0.6, 0.8)
PAIRS = (2, 3, 4)
BLOCK_DAYS = (7, 10)


def _rates(rng: np.random.Generator, runs: int, effect: float, **kw: float) -> tuple[float, float]:
    """(blocks, pair-by-pair): share of runs with any claim (effect 0) or with fewer vivid
    dreams found in the morning (effect > 0)."""
    hits = np.zeros(2)
    for _ in range(runs):
        result = simulate(rng, effect=effect, **kw)  # type: ignore[arg-type]
        for j, attr in enumerate(("claim", "check_claim")):
            found = [getattr(r, attr) for r in result.outcomes]
            if effect == 0:
                hits[j] += any(c in CLAIMS for c in found)
            else:
                hits[j] += any(
                    r.outcome.key == "vivid_dreams" and c == "morning_better"
                    for r, c in zip(result.outcomes, found, strict=True)
                )
    return hits[0] / runs, hits[1] / runs


def main(runs: int = 2000) -> None:
    print(f"{runs} null experiments per row ({runs // 2} per power figure), 5 outcomes")
    print("blocks = the result shown (block means, df = blocks - 2); pairs = pair-by-pair check")
    print("                  any claim, no effect    power 2 pts       power 4 pts")
    print("  phi pairs days    blocks   pairs      blocks  pairs     blocks  pairs")
    for phi in PHIS:
        for pairs in PAIRS:
            for days in BLOCK_DAYS:
                rng = np.random.default_rng([20261202, int(phi * 10), pairs, days])
                kw = {"phi": phi, "pairs": pairs, "block_days": days}
                null = _rates(rng, runs, 0.0, **kw)
                p2 = _rates(rng, runs // 2, 2.0, **kw)
                p4 = _rates(rng, runs // 2, 4.0, **kw)
                print(
                    f"  {phi:.1f} {pairs:>5} {days:>4}    {null[0]:.3f}   {null[1]:.3f}"
                    f"      {p2[0]:.3f}  {p2[1]:.3f}     {p4[0]:.3f}  {p4[1]:.3f}",
                    flush=True,
                )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
