"""Model parameters read from the cited YAML data files, typical values and log-normal BSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ldn import datafiles
from ldn.pharmacology.model import PatientParameters

_PK_KEYS = ("ka", "alpha", "beta", "frac_terminal", "cl_f", "vm_f", "km")
_PD_KEYS = ("ke0", "ec50_mu", "potency_ratio")


class PharmacologyError(ValueError):
    """A simulation input outside what the model supports; the message names the parameter."""


def read_yaml(name: str) -> dict[str, Any]:
    """One file from ldn/pharmacology/data as a dict."""
    data: dict[str, Any] = datafiles.load("ldn.pharmacology", f"data/{name}")
    return data


@dataclass(frozen=True)
class ModelParameters:
    """Typical values and between-subject CVs of every model parameter."""

    typical_values: dict[str, float]
    cvs: dict[str, float]
    kappa_ratio: tuple[float, float]
    delta_ratio: tuple[float, float]
    targets: dict[str, float]
    occupancy_fit_points: list[tuple[float, float, float, float]] = field(default_factory=list)

    def __getattr__(self, name: str) -> float:
        values = self.__dict__.get("typical_values", {})
        if name in values:
            return float(values[name])
        raise AttributeError(name)

    def typical(self, n: int = 1) -> PatientParameters:
        """n copies of the typical patient (no variability)."""
        arrays = {k: np.full(n, float(v)) for k, v in self.typical_values.items()}
        return PatientParameters(
            **arrays, kappa_ratio=self.kappa_ratio, delta_ratio=self.delta_ratio
        )

    def sample(self, n: int, rng: np.random.Generator) -> PatientParameters:
        """n virtual patients: each parameter times exp(eta), eta ~ N(0, ln(1 + CV^2))."""
        arrays = {}
        for key, value in self.typical_values.items():
            cv = self.cvs.get(key, 0.0)
            omega = float(np.sqrt(np.log1p(cv * cv)))
            eta = rng.normal(0.0, omega, n) if omega > 0 else np.zeros(n)
            arrays[key] = float(value) * np.exp(eta)
        arrays["frac_terminal"] = np.clip(arrays["frac_terminal"], 0.0, 1.0)
        return PatientParameters(
            **arrays, kappa_ratio=self.kappa_ratio, delta_ratio=self.delta_ratio
        )


@lru_cache(maxsize=1)
def load_parameters() -> ModelParameters:
    """Parameters from data/pk.yaml and data/occupancy.yaml (cached)."""
    pk = read_yaml("pk.yaml")["parameters"]
    pd = read_yaml("occupancy.yaml")
    values = {k: float(pk[k]["value"]) for k in _PK_KEYS}
    values.update({k: float(pd["parameters"][k]["value"]) for k in _PD_KEYS})
    cvs = {k: float(pk[k].get("cv", 0.0) or 0.0) for k in _PK_KEYS}
    cvs.update({k: float(pd["parameters"][k].get("cv", 0.0) or 0.0) for k in _PD_KEYS})
    sub = pd["other_receptors"]
    validation = read_yaml("validation.yaml")
    targets = {k: float(v["value"]) for k, v in validation["fit_targets"].items()}
    points = [
        (float(p["dose_mg"]), float(p["time_h"]), float(p["occupancy"]), float(p["weight_sd"]))
        for p in validation["occupancy_fit_points"]
    ]
    return ModelParameters(
        typical_values=values,
        cvs=cvs,
        kappa_ratio=(float(sub["kappa"]["parent_ratio"]), float(sub["kappa"]["naltrexol_ratio"])),
        delta_ratio=(float(sub["delta"]["parent_ratio"]), float(sub["delta"]["naltrexol_ratio"])),
        targets=targets,
        occupancy_fit_points=points,
    )
