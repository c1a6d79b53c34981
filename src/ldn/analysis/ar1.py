"""Regression with AR(1) errors on a daily series that may have missing days (feasible GLS, REML).

Daily symptom scores are autocorrelated; ordinary least squares then understates the uncertainty of
a before/after difference several-fold. statsmodels' GLSAR and SARIMAX assume no gaps (GLSAR) or are
too slow for 10 symptoms x 5 years (SARIMAX), so we whiten the gap-aware AR(1) process ourselves:
for consecutive observed days i-1, i that are g days apart, e_i - phi**g e_(i-1) has variance
s2 * (1 - phi**(2g)), which reduces to Prais-Winsten when there are no gaps. phi is chosen by
restricted maximum likelihood (REML, which removes most of ML's downward bias of phi when the model
has several phase levels), then ordinary least squares on the whitened data gives the estimates,
standard errors and t intervals (df = n - k). phi is corrected for its small-sample bias first
(`corrected_phi`). Written with numpy only (no statsmodels objects per
fit) so the calibration can afford tens of thousands of fits on a shared machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

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

    @property
    def df_effective(self) -> float:
        """t degrees of freedom allowing for the estimated phi (`effective_df`)."""
        return float(effective_df(self.phi, self.n_obs, self.df_resid))


def whiten(
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
    yw, xw, logjac = whiten(phi, y, x, gaps)
    n, k = xw.shape
    xtx = xw.T @ xw
    sign, logdet = np.linalg.slogdet(xtx)
    if sign <= 0:
        return np.inf
    beta = np.linalg.solve(xtx, xw.T @ yw)
    rss = float(np.sum((yw - xw @ beta) ** 2))
    if rss <= 0:
        return np.inf
    return 0.5 * ((n - k) * np.log(rss / (n - k)) + logjac + logdet)


def _ljung_box_p(resid: FloatArray, lags: int) -> float:
    """Ljung-Box portmanteau p-value at `lags` (same formula as statsmodels' acorr_ljungbox)."""
    n = resid.size
    r = resid - resid.mean()
    denom = float(r @ r)
    if denom <= 0:
        return 1.0
    acf = np.array([float(r[k:] @ r[:-k]) / denom for k in range(1, lags + 1)])
    q = n * (n + 2) * float(np.sum(acf**2 / (n - np.arange(1, lags + 1))))
    return float(special.chdtrc(lags, q))


def corrected_phi(phi: FloatArray | float, n: FloatArray | int) -> FloatArray:
    """REML phi plus the first-order small-sample bias of a lag-1 autocorrelation with estimated
    means, (1 + 3 phi) / n (a textbook approximation; our suggestion, not a sourced figure).

    Why: with 14 reference days REML still underestimates phi (mean 0.74 for a true 0.8), the
    interval is then too narrow (coverage 0.90 at phi = 0.8); corrected it is 0.93 (benchmark).
    """
    p = np.asarray(phi, dtype=float)
    out: FloatArray = np.minimum(p + (1 + 3 * np.maximum(p, 0.0)) / np.asarray(n), PHI_BOUNDS[1])
    return out


def reml_mean(phi: FloatArray | float, n: FloatArray | int) -> FloatArray:
    """The mean REML estimate of phi from n observed days with a level per phase: phi (1 - 2/n).

    REML, unlike ML, removes most of the bias that estimating the levels adds (ML's is
    -(1 + 3 phi)/n, which `corrected_phi` undoes; REML is "generally much less biased than the
    MLE", Cheang & Reinsel 2000, JASA 95:1173). What is left is about -2 phi / n, the bias with
    known levels (our measurement, 2,000 simulated diaries each with two levels, 10% of days
    missed, scores rounded: mean REML minus the true phi of the rounded scores -0.02/-0.05/-0.09 at
    phi 0.3/0.6/0.8 with 25 days, -0.01/-0.02/-0.04 with 50; -2 phi / n gives -0.02/-0.05/-0.06
    and -0.01/-0.02/-0.03). So `corrected_phi` of a REML estimate runs high by about
    (1 + phi) / n: +0.04 to +0.07 (median) with 25 days, +0.01 to +0.02 with 60-160.
    """
    out: FloatArray = np.asarray(phi, dtype=float) * (1 - 2 / np.asarray(n, dtype=float))
    return out


def debiased_reml(phi_reml: float, n: int) -> float:
    """A REML estimate from n days with its first-order bias (`reml_mean`) added back:
    phi (1 + 2/n), the inverse of `reml_mean` to first order."""
    return phi_reml * (1 + 2 / n)


def effective_df(
    phi: FloatArray | float, n: FloatArray | int, df_resid: FloatArray | float
) -> FloatArray:
    """Degrees of freedom for the t interval that allow for phi being estimated (our suggestion).

    The SE of a level contrast scales with (1 + phi) / (1 - phi); with Var(phi_hat) ~ (1 - phi^2)/n
    the squared SE varies like a chi-square with about (1 - phi^2) n / 2 df (Satterthwaite), which
    is far fewer than n - k when phi is high. Without it the 95% interval covered 0.92 at phi 0.8
    (benchmark); with it the interval is wider where phi is high and barely changes where it is low.
    """
    p = np.clip(np.asarray(phi, dtype=float), 0.0, 0.98)
    out: FloatArray = np.clip((1 - p**2) * np.asarray(n) / 2, 2.0, np.asarray(df_resid))
    return out


def reml_phi(day: NDArray[np.int64], y: FloatArray, x: FloatArray) -> float:
    """The REML estimate of phi for y = X b + e, e AR(1) in calendar days (no bias correction)."""
    res = optimize.minimize_scalar(
        _neg_reml,
        bounds=PHI_BOUNDS,
        args=(y, x, np.diff(day).astype(float)),
        method="bounded",
        options={"xatol": 1e-3},
    )
    return float(res.x)


def fit_ar1(day: NDArray[np.int64], y: FloatArray, x: FloatArray, names: tuple[str, ...]) -> Ar1Fit:
    """Fit y = X b + e, e AR(1) in calendar days, using only observed days (day strictly increasing)."""
    gaps = np.diff(day).astype(float)
    phi = float(corrected_phi(reml_phi(day, y, x), len(y)))
    yw, xw, _ = whiten(phi, y, x, gaps)
    n, k = xw.shape
    xtx_inv = np.linalg.inv(xw.T @ xw)
    beta = xtx_inv @ (xw.T @ yw)
    resid = yw - xw @ beta
    df = n - k
    s2 = float(resid @ resid) / df if df > 0 else float("nan")
    bse = np.sqrt(np.maximum(np.diag(xtx_inv) * s2, 0.0))
    lags = min(7, max(1, n // 5))
    return Ar1Fit(
        names=names,
        params=beta,
        bse=bse,
        df_resid=float(df),
        phi=phi,
        sigma=float(np.sqrt(s2)),
        n_obs=int(n),
        ljung_box_p=_ljung_box_p(resid, lags),
    )
