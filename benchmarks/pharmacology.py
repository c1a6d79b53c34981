"""Vectorised closed-form population vs a per-patient solve_ivp loop on the same model.

Prints: vectorised time for 100,000 patients x 24 h at 1-min resolution (three outputs), the
solve_ivp loop time on a subset scaled to 100,000, their ratio, the largest relative difference
between the two on that subset, and a bare numpy write of the same total size as the floor.
"""

from __future__ import annotations

import os
import time

import numpy as np

from ldn.pharmacology import evaluate, load_parameters
from ldn.pharmacology.reference import solve_reference

N = 100_000
SUBSET = 20
RUNS = 5
OUTPUTS = ("naltrexone", "naltrexol", "mu_occupancy")


def main() -> None:
    params = load_parameters().sample(N, np.random.default_rng(0))
    t = np.arange(24 * 60 + 1) / 60.0
    doses, mg = [0.0], [4.5]

    evaluate(params.take(slice(0, 5000)), t, doses, mg, dtype=np.float32)  # warm-up
    load = os.getloadavg()[0]
    runs, cpu = [], []
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        out = evaluate(params, t, doses, mg, outputs=OUTPUTS, dtype=np.float32)
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        del out
    vec = min(runs)

    floor_runs = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        arrs = [np.empty((len(t), N), dtype=np.float32) for _ in OUTPUTS]
        for a in arrs:
            a.fill(1.0)
        floor_runs.append(time.perf_counter() - t0)
        del arrs
    floor = min(floor_runs)

    sub = params.take(slice(0, SUBSET))
    t0 = time.perf_counter()
    refs = [solve_reference(sub, i, t, doses, mg) for i in range(SUBSET)]
    ode = (time.perf_counter() - t0) / SUBSET * N

    fast = evaluate(sub, t, doses, mg, outputs=OUTPUTS, dtype=np.float32)
    worst = 0.0
    for i, ref in enumerate(refs):
        for name in OUTPUTS:
            r = ref[name]
            rel = np.abs(fast[name][i] - r) / np.maximum(np.abs(r), 1e-3 * np.abs(r).max())
            worst = max(worst, float(rel.max()))

    print(
        f"vectorised closed form, {N:,} patients x {len(t)} min x {len(OUTPUTS)} outputs "
        f"(float32): {vec:.3f} s (best of {RUNS}; runs {', '.join(f'{x:.2f}' for x in runs)}; "
        f"CPU s per run {', '.join(f'{x:.2f}' for x in cpu)} on {os.cpu_count()} cores; "
        f"1-min load average {load:.1f} at the start)"
    )
    print(
        f"solve_ivp loop (LSODA, rtol 1e-10, atol 1e-14), {SUBSET} patients scaled to {N:,}: "
        f"{ode:.1f} s"
    )
    print(f"speed-up: {ode / vec:,.0f}x")
    print(f"largest relative difference (floor 0.1% of each curve's peak): {worst:.2e}")
    print(
        f"floor, bare numpy write of the same {len(OUTPUTS)} x {N:,} x {len(t)} float32: "
        f"{floor:.3f} s, best of {RUNS} ({vec / floor:.1f}x the floor)"
    )


if __name__ == "__main__":
    main()
