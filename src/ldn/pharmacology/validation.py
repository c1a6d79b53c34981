"""The model's figure for each published check in data/validation.yaml, and whether it is
within that check's stated tolerance. The validation tests and the "How LDN works" page both
read it, so the table a reader sees is the one the tests hold."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from ldn.pharmacology.model import evaluate
from ldn.pharmacology.parameters import load_parameters, read_yaml
from ldn.pharmacology.simulate import nightly_schedule


def checks() -> list[dict[str, Any]]:
    return list(read_yaml("validation.yaml")["checks"])


@cache
def typical_curves(dose_mg: float, hours: float = 96.0, step_min: float = 1.0) -> dict[str, Any]:
    """One typical patient after a single dose at t = 0, on a fine grid (for read-outs)."""
    t = np.arange(0, hours * 60 + step_min, step_min) / 60.0
    out = evaluate(load_parameters().typical(1), t, [0.0], [dose_mg])
    return {"t": t, **{k: v[0] for k, v in out.items()}}


def terminal_half_life(t: np.ndarray, c: np.ndarray, start_h: float, end_h: float) -> float:
    """Log-linear fit over [start_h, end_h], as the PK papers read a terminal phase."""
    m = (t >= start_h) & (t <= end_h)
    slope = np.polyfit(t[m], np.log(c[m]), 1)[0]
    return float(np.log(2) / -slope)


def model_value(quantity: str, dose_mg: float) -> tuple[float, float]:
    """(low, high) of the model's figure; equal except for the day-7 steady-state range."""
    if quantity == "mu_occupancy_steady_trough_range":
        s = nightly_schedule(dose_mg, 7)
        t = np.arange(6 * 24 * 60, 7 * 24 * 60 + 1, 10) / 60.0
        occ = evaluate(load_parameters().typical(1), t, s.times_h, s.amounts_mg)["mu_occupancy"]
        return float(occ.min()), float(occ.max())
    c = typical_curves(dose_mg)
    t, cp, cm, occ = c["t"], c["naltrexone"], c["naltrexol"], c["mu_occupancy"]
    value = {
        "naltrexone_cmax": lambda: cp.max(),
        "naltrexone_tmax": lambda: t[cp.argmax()],
        "naltrexone_auc": lambda: np.trapezoid(cp, t),
        "naltrexone_terminal_half_life": lambda: terminal_half_life(t, cp, 24, 72),
        "naltrexol_cmax": lambda: cm.max(),
        "naltrexol_tmax": lambda: t[cm.argmax()],
        "naltrexol_terminal_half_life": lambda: terminal_half_life(t, cm, 12, 72),
        "mu_occupancy_3h": lambda: np.interp(3.0, t, occ),
        "mu_occupancy_48h": lambda: np.interp(48.0, t, occ),
    }[quantity]()
    return float(value), float(value)


def within(check: dict[str, Any], value: float) -> bool:
    """True if `value` is within the check's stated tolerance of the published value."""
    ref = float(check["value"])
    if "tolerance_rel" in check:
        return abs(value - ref) <= float(check["tolerance_rel"]) * abs(ref)
    return abs(value - ref) <= float(check["tolerance_abs"])
