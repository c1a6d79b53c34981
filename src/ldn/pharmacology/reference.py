"""The same model as ODEs solved numerically: the check on the closed form (tests, benchmark)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from ldn.pharmacology.model import PatientParameters


def solve_reference(
    p: PatientParameters,
    i: int,
    times_h: NDArray[np.float64],
    doses_t: Sequence[float],
    doses_mg: Sequence[float],
    rtol: float = 1e-10,
    atol: float = 1e-14,
) -> dict[str, NDArray[np.float64]]:
    """Patient i on `times_h` with solve_ivp (LSODA), doses added to the gut between pieces."""
    ka, al, be, km, ke0 = (float(getattr(p, k)[i]) for k in ("ka", "alpha", "beta", "km", "ke0"))
    auc = 1000.0 / float(p.cl_f[i])
    fb = float(p.frac_terminal[i])
    a, b = (1 - fb) * al * auc, fb * be * auc  # ng/mL per mg after a bolus into the central pool
    v1 = 1000.0 / (a + b)
    k21 = (a * be + b * al) / (a + b)
    k10 = al * be / k21
    k12 = al + be - k21 - k10
    vm = float(p.vm_f[i])
    r = float(p.potency_ratio[i])

    def rhs(_t: float, y: NDArray[np.float64]) -> list[float]:
        g, a1, a2, am, ce = y
        cp = 1000.0 * a1 / v1
        cm = 1000.0 * am / vm
        return [
            -ka * g,
            ka * g - (k10 + k12) * a1 + k21 * a2,
            k12 * a1 - k21 * a2,
            ka * g - km * am,
            ke0 * (cp + cm / r - ce),
        ]

    y = np.zeros(5)
    out = np.zeros((5, len(times_h)))
    bounds = [*sorted(zip(doses_t, doses_mg, strict=True)), (np.inf, 0.0)]
    t_prev = min(float(times_h[0]), float(bounds[0][0]))
    for (td, mg), (t_next, _) in zip(bounds[:-1], bounds[1:], strict=True):
        mask = (times_h < td) & (times_h >= t_prev)
        if mask.any():
            sol = solve_ivp(
                rhs, (t_prev, td), y, t_eval=times_h[mask], method="LSODA", rtol=rtol, atol=atol
            )
            out[:, mask] = sol.y
        if td > t_prev:
            y = solve_ivp(rhs, (t_prev, td), y, method="LSODA", rtol=rtol, atol=atol).y[:, -1]
        y = y.copy()
        y[0] += mg
        t_prev = td
        end = min(t_next, float(times_h[-1]) + 1e-12)
        mask = (times_h >= td) & (times_h < t_next)
        if mask.any():
            sol = solve_ivp(
                rhs, (td, end), y, t_eval=times_h[mask], method="LSODA", rtol=rtol, atol=atol
            )
            out[:, mask] = sol.y
            y = solve_ivp(rhs, (td, end), y, method="LSODA", rtol=rtol, atol=atol).y[:, -1]
            t_prev = end
    cp = 1000.0 * out[1] / v1
    ce = out[4]
    ec50 = float(p.ec50_mu[i])
    return {
        "naltrexone": cp,
        "naltrexol": 1000.0 * out[3] / vm,
        "mu_occupancy": ce / (ce + ec50),
    }
