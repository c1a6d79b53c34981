"""How the fitted parameters in data/pk.yaml and data/occupancy.yaml were obtained.

Kept in the package so the fit can be re-run and checked (tests/pharmacology) whenever a
target or a literature value changes. Targets come from data/validation.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from ldn.pharmacology.model import PatientParameters, evaluate
from ldn.pharmacology.parameters import ModelParameters, load_parameters

LN2 = float(np.log(2.0))


@dataclass(frozen=True)
class PKShapeFit:
    """Absorption and distribution values that best match the 50 mg peak data."""

    ka: float
    alpha: float
    frac_terminal: float
    cl_f: float
    vm_f: float
    objective: float


@dataclass(frozen=True)
class OccupancyFit:
    """Effect-site EC50, metabolite potency ratio and ke0 fitted to the PET points."""

    ec50_mu: float
    potency_ratio: float
    ke0: float
    objective: float


def _params(base: ModelParameters, n: int, **over: np.ndarray | float) -> PatientParameters:
    typical = base.typical(n)
    fields: dict[str, np.ndarray] = {
        k: v for k, v in typical.__dict__.items() if isinstance(v, np.ndarray)
    }
    for key, value in over.items():
        fields[key] = np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()
    return PatientParameters(
        **fields, kappa_ratio=typical.kappa_ratio, delta_ratio=typical.delta_ratio
    )


def fit_pk_shape(base: ModelParameters | None = None) -> PKShapeFit:
    """Grid search for ka, alpha and the terminal AUC share.

    Objective for a 50 mg dose: (ln Cmax/target)^2 + (hours the naltrexone Tmax lies outside the
    label's "within one hour", 0.5-1 h, / 0.3 h)^2 + ((Tmax_naltrexol - 1 h)/0.3 h)^2, with CL/F fixed from the AUC target and beta, km fixed from the label.
    """
    base = base or load_parameters()
    tg = base.targets
    cl_f = 50.0 * 1000.0 / tg["auc_50mg"]
    grid = np.meshgrid(
        np.linspace(2.0, 8.0, 25), np.geomspace(0.15, 3.0, 25), np.linspace(0.02, 0.8, 14)
    )
    ka, al, fb = (g.ravel() for g in grid)
    n = ka.size
    p = _params(base, n, ka=ka, alpha=al, frac_terminal=fb, cl_f=cl_f)
    t = np.arange(0, 6 * 60 + 1) / 60.0
    out = evaluate(p, t, [0.0], [50.0], outputs=("naltrexone", "naltrexol"), workers=1)
    cp, cm = out["naltrexone"], out["naltrexol"]
    j = (
        np.log(cp.max(axis=1) / tg["cmax_50mg"]) ** 2
        + (_outside(t[cp.argmax(axis=1)], 0.5, tg["tmax_h"]) / 0.3) ** 2
        + ((t[cm.argmax(axis=1)] - tg["tmax_h"]) / 0.3) ** 2
    )
    i = int(np.argmin(j))
    cm_peak = cm[i].max() * base.vm_f / 1.0  # evaluate ran with the YAML vm_f
    return PKShapeFit(
        ka=float(ka[i]),
        alpha=float(al[i]),
        frac_terminal=float(fb[i]),
        cl_f=float(cl_f),
        vm_f=float(cm_peak / tg["naltrexol_cmax_50mg"]),
        objective=float(j[i]),
    )


def _outside(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.maximum(0.0, x - hi) + np.maximum(0.0, lo - x)


def predicted_occupancy(
    base: ModelParameters, ec50: float, ratio: float, ke0: float, dose_mg: float, t_h: float
) -> float:
    p = _params(base, 1, ec50_mu=ec50, potency_ratio=ratio, ke0=ke0)
    out = evaluate(p, np.array([0.0, t_h]), [0.0], [dose_mg], outputs=("mu_occupancy",))
    return float(out["mu_occupancy"][0, 1])


def fit_occupancy(base: ModelParameters | None = None) -> OccupancyFit:
    """Least squares on the PET points listed under `fit_points` in data/validation.yaml."""
    base = base or load_parameters()
    pts = base.occupancy_fit_points

    def objective(x: np.ndarray) -> float:
        ec50, ratio, ke0 = np.exp(x)
        err = [(predicted_occupancy(base, ec50, ratio, ke0, d, t) - o) / sd for d, t, o, sd in pts]
        return float(np.sum(np.square(err)))

    best = None
    for x0 in ([0.5, 1.0, 0.5], [2.0, 3.0, 0.1], [5.0, 10.0, 0.05]):
        res = minimize(objective, np.log(x0), method="Nelder-Mead", options={"xatol": 1e-6})
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    ec50, ratio, ke0 = np.exp(best.x)
    return OccupancyFit(float(ec50), float(ratio), float(ke0), float(best.fun))
