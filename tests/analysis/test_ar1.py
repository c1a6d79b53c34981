"""Our gap-aware AR(1) regression against statsmodels' exact-likelihood ARIMA (Kalman filter)."""

import numpy as np
import statsmodels.api as sm

from ldn.analysis.ar1 import fit_ar1
from ldn.analysis.simulate import ar1_noise


def _data(rng: np.random.Generator, n: int = 400, phi: float = 0.6):
    day = np.arange(n)
    x = np.column_stack([np.ones(n), day / 365.0, (day >= n // 2).astype(float)])
    y = x @ np.array([5.0, -1.0, -1.5]) + ar1_noise(rng, phi, n, 1.5)[0]
    return day, x, y


def test_it_matches_statsmodels_arima_on_a_complete_series() -> None:
    day, x, y = _data(np.random.default_rng(1))
    ours = fit_ar1(day, y, x, ("const", "trend", "shift"))
    ref = sm.tsa.arima.ARIMA(y, exog=x[:, 1:], order=(1, 0, 0)).fit()
    # ARIMA is ML, ours REML: phi and the shift agree to within a small fraction of their SE.
    assert abs(ours.phi - ref.params[3]) < 0.03
    assert abs(ours.params[2] - ref.params[2]) < 0.2 * ref.bse[2]
    assert abs(ours.bse[2] - ref.bse[2]) < 0.15 * ref.bse[2]


def test_it_handles_missing_days_like_the_kalman_filter() -> None:
    rng = np.random.default_rng(2)
    day, x, y = _data(rng)
    keep = rng.random(day.size) > 0.25
    ours = fit_ar1(day[keep], y[keep], x[keep], ("const", "trend", "shift"))
    y_gapped = np.where(keep, y, np.nan)
    ref = sm.tsa.arima.ARIMA(y_gapped, exog=x[:, 1:], order=(1, 0, 0)).fit()
    assert abs(ours.phi - ref.params[3]) < 0.04
    assert abs(ours.params[2] - ref.params[2]) < 0.25 * ref.bse[2]


def test_it_recovers_phi_near_zero_for_white_noise() -> None:
    rng = np.random.default_rng(3)
    day, x, _ = _data(rng)
    y = x @ np.array([5.0, 0.0, 0.0]) + rng.standard_normal(day.size)
    assert abs(fit_ar1(day, y, x, ("c", "t", "s")).phi) < 0.15
