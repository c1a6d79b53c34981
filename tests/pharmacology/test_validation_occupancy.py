"""Model vs PET mu occupancy (Rabiner 2011, Lee 1988 / Swiss label, Weerts 2008)."""

from __future__ import annotations

import numpy as np
import pytest

from ldn.pharmacology import evaluate, load_parameters, nightly_schedule
from tests.pharmacology.conftest import CHECKS, FITTED, typical_curves, within

SINGLE = [k for k, c in FITTED.items() if c["quantity"] in ("mu_occupancy_3h", "mu_occupancy_48h")]


@pytest.mark.parametrize("check_id", SINGLE)
def test_fitted_single_dose_occupancy_reproduces_the_pet_points(check_id: str) -> None:
    # In-sample: validation.yaml fitted (Rabiner 2011 via Troestheim 2023 Table 1; Swiss label)
    check = FITTED[check_id]
    hour = 3.0 if check["quantity"].endswith("3h") else 48.0
    cur = typical_curves(float(check["dose_mg"]))
    model = float(np.interp(hour, cur["t"], cur["mu_occupancy"]))
    assert within(check, model), f"{check_id}: model {model:.3f} vs {check['value']}"


def test_rabiner_doses_fall_inside_the_model_range_over_the_2_to_8_h_scan_window() -> None:
    # Rabiner 2011 scans were "< 8 h" after dosing (Troestheim 2023 Table 1); allow 0.10 either side.
    for dose, observed in (
        (2, 0.27),
        (5, 0.43),
        (5, 0.46),
        (5, 0.58),
        (15, 0.61),
        (50, 0.92),
        (50, 0.98),
    ):
        cur = typical_curves(dose, hours=8)
        window = cur["mu_occupancy"][(cur["t"] >= 2) & (cur["t"] <= 8)]
        assert window.min() - 0.10 <= observed <= window.max() + 0.10, dose


def test_daily_50_mg_keeps_mu_occupancy_near_weerts_level_all_day() -> None:
    # Weerts 2008: 94.9 +- 4.9% inhibition on 50 mg/day (scan time after dose not stated): the whole
    # seventh day of the model must lie within 0.05 of 0.949 (tolerance in validation.yaml).
    check = CHECKS["mu_50mg_daily"]
    s = nightly_schedule(50.0, 7)
    t = np.arange(6 * 24 * 60, 7 * 24 * 60 + 1, 10) / 60.0
    occ = evaluate(load_parameters().typical(1), t, s.times_h, s.amounts_mg)["mu_occupancy"][0]
    assert within(check, float(occ.min())) and within(check, float(occ.max()))


def test_occupancy_rises_with_dose_at_every_time() -> None:
    lo, hi = typical_curves(1.0, hours=24), typical_curves(4.5, hours=24)
    assert np.all(hi["mu_occupancy"][1:] > lo["mu_occupancy"][1:])
