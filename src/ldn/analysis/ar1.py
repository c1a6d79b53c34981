"""Regression with AR(1) errors on a daily series that may have missing days (feasible GLS, REML).

Daily symptom scores are autocorrelated; ordinary least squares then understates the uncertainty of
a before/after difference several-fold. statsmodels' GLSAR and SARIMAX assume no gaps (GLSAR) or are
too slow for 10 symptoms x 5 years (SARIMAX), so we whiten the gap-aware AR(1) process ourselves:
for consecutive observed days i-1, i that are g days apart, e_i - phi**g e_(i-1) has variance
s2 * (1 - phi**(2g)), which reduces to Prais-Winsten when there are no gaps. phi is chosen by
restricted maximum likelihood (REML, which removes most of ML's downward bias of phi when the model
has a trend and several phase dummies), then statsmodels OLS on the whitened data gives the estimates,
standard errors and t intervals (df = n - k).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from numpy.typing import NDArray
from scipy import optimize
from statsmodels.stats.diagnostic import acorr_ljungbox

FloatArray = NDArray[np.float64]

PHI_BOUNDS = (-0.5, 0.98)


@dataclass(frozen=True)
class Ar1Fit:
    """Coefficients of a regression with AR(1) errors, with the estimated phi and residual df."""

    names: tuple[str, ...]
    params: FloatArray
    bse: FloatArray
    df_resid: float
    phi: float
    sigma: float
    n_obs: int
    ljung_box_p: float
    method: str = "feasible GLS with AR(1) errors on observed days (gap-aware), phi by REML"

    def index(self, name: str) -> int:
        return self.names.index(name)


def _whiten(
    phi: float, y: FloatArray, x: FloatArray, gaps: FloatArray
) -> tuple[FloatArray, FloatArray, float]:
    """Return whitened y, X and the log-Jacobian term sum(log(1 - phi**(2g)))."""
    pg = phi**gaps
    scale = np.sqrt(1.0 - pg**2)
    yw = np.empty_like(y)
    xw = np.empty_like(x)
    yw[0] = y[0]
    xw[0] = x[0]
    yw[1:] = (y[1:] - pg * y[:-1]) / scale
    xw[1:] = (x[1:] - pg[:, None] * x[:-1]) / scale[:, None]
    return yw, xw, float(np.sum(np.log(scale**2)))


def _neg_reml(phi: float, y: FloatArray, x: FloatArray, gaps: FloatArray) -> float:
    yw, xw, logjac = _whiten(phi, y, x, gaps)
    n, k = xw.shape
    beta, _, _, _ = np.linalg.lstsq(xw, yw, rcond=None)
    rss = float(np.sum((yw - xw @ beta) ** 2))
    sign, logdet = np.linalg.slogdet(xw.T @ xw)
    if sign <= 0 or rss <= 0:
        return np.inf
    return 0.5 * ((n - k) * np.log(rss / (n - k)) + logjac + logdet)


def fit_ar1(day: NDArray[np.int64], y: FloatArray, x: FloatArray, names: tuple[str, ...]) -> Ar1Fit:
    """Fit y = X b + e, e AR(1) in calendar days, using only observed days (day strictly increasing)."""
    gaps = np.diff(day).astype(float)
    res = optimize.minimize_scalar(
        _neg_reml, bounds=PHI_BOUNDS, args=(y, x, gaps), method="bounded", options={"xatol": 1e-3}
    )
    phi = float(res.x)
    yw, xw, _ = _whiten(phi, y, x, gaps)
    ols = sm.OLS(yw, xw).fit()
    lags = min(7, max(1, len(y) // 5))
    lb = acorr_ljungbox(np.asarray(ols.resid), lags=[lags])
    return Ar1Fit(
        names=names,
        params=np.asarray(ols.params, dtype=float),
        bse=np.asarray(ols.bse, dtype=float),
        df_resid=float(ols.df_resid),
        phi=phi,
        sigma=float(np.sqrt(ols.scale)),
        n_obs=int(len(y)),
        ljung_box_p=float(lb["lb_pvalue"].iloc[0]),
    )
