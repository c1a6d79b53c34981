from __future__ import annotations

import numpy as np
import pytest

from ldn.pharmacology import evaluate, load_parameters, read_yaml

CHECKS = {c["id"]: c for c in read_yaml("validation.yaml")["checks"]}


def typical_curves(dose_mg: float, hours: float = 96.0, step_min: float = 1.0) -> dict:
    t = np.arange(0, hours * 60 + step_min, step_min) / 60.0
    out = evaluate(load_parameters().typical(1), t, [0.0], [dose_mg])
    return {"t": t, **{k: v[0] for k, v in out.items()}}


def within(check: dict, model_value: float) -> bool:
    """True if model_value is within the check's stated tolerance of the published value."""
    ref = float(check["value"])
    if "tolerance_rel" in check:
        return abs(model_value - ref) <= float(check["tolerance_rel"]) * abs(ref)
    return abs(model_value - ref) <= float(check["tolerance_abs"])


@pytest.fixture(scope="session")
def curves_50mg() -> dict:
    return typical_curves(50.0)
