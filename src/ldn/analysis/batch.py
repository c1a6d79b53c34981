"""The before/after verdict for many simulated diaries of one design at once (calibration only).

`analyse_before_after` fits one diary at a time (scipy's bounded search for phi, ~10 REML
evaluations); the calibration needs hundreds of thousands of fits on a shared 2-core machine. Here
the same gap-aware AR(1) REML is evaluated for all series together, phi by a golden-section search per
series run in step over [-0.5, 0.98] to 1e-3, with the same design, the same Bonferroni level, the same
minimum days and the same trend rule. `tests/analysis/test_batch.py` checks that it gives the same
verdicts and estimates as `analyse_before_after` on the same series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

from ldn.analysis.ar1 import PHI_BOUNDS, corrected_phi, effective_df
from ldn.analysis.before_after import ON_LDN, TREND, TREND_RULE_P, _design, _used
from ldn.analysis.phases import BASELINE, PhasePlan

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class BatchFit:
    phi: FloatArray
    params: FloatArray  # (S, k)
    bse: FloatArray  # (S, k)
    df: FloatArray


def _whitened(
    phi: FloatArray,
    x: FloatArray,
    y: FloatArray,
    obs: NDArray[np.bool_],
    prev: NDArray[np.int64],
    gap: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    pg = np.where(prev >= 0, phi[:, None] ** gap, 0.0)
    scale = np.sqrt(1 - pg**2)
    p = np.maximum(prev, 0)
    xw = (x[None, :, :] - pg[:, :, None] * x[p]) / scale[:, :, None]
    yw = (y - pg * np.take_along_axis(y, p, axis=1)) / scale
    xw = np.where(obs[:, :, None], xw, 0.0)
    yw = np.where(obs, yw, 0.0)
    logjac = np.sum(np.where(obs, np.log(scale**2), 0.0), axis=1)
    return xw, yw, logjac


def _solve(xw: FloatArray, yw: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    xt = xw.transpose(0, 2, 1)
    xtx = xt @ xw
    beta = np.asarray(np.linalg.solve(xtx, xt @ yw[:, :, None])[:, :, 0], dtype=np.float64)
    resid = yw - (xw @ beta[:, :, None])[:, :, 0]
    rss: FloatArray = np.sum(resid**2, axis=1)
    return xtx, beta, rss


def batch_fit(day: NDArray[np.int64], y: FloatArray, x: FloatArray) -> BatchFit:
    """REML AR(1) GLS for every row of y (NaN = missing day) against the common design x."""
    obs = ~np.isnan(y)
    n_days = y.shape[1]
    idx = np.where(obs, np.arange(n_days), -1)
    last = np.maximum.accumulate(idx, axis=1)
    prev = np.concatenate([np.full((y.shape[0], 1), -1), last[:, :-1]], axis=1)
    gap = np.where(prev >= 0, day[None, :] - day[np.maximum(prev, 0)], 1).astype(float)
    y0 = np.nan_to_num(y)
    n = obs.sum(axis=1)
    k = x.shape[1]

    def objective(phi: FloatArray) -> FloatArray:
        xw, yw, logjac = _whitened(phi, x, y0, obs, prev, gap)
        xtx, _, rss = _solve(xw, yw)
        _, logdet = np.linalg.slogdet(xtx)
        return np.asarray(0.5 * ((n - k) * np.log(rss / (n - k)) + logjac + logdet))

    # Golden-section search per series, all series in step (the same unimodal search as scipy's
    # bounded method), to |interval| < 1e-3.
    s = y.shape[0]
    g = (np.sqrt(5) - 1) / 2
    a, b = np.full(s, PHI_BOUNDS[0]), np.full(s, PHI_BOUNDS[1])
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = objective(c), objective(d)
    while np.max(b - a) > 1e-3:
        left = fc < fd  # the minimum lies in [a, d]
        a, b = np.where(left, a, c), np.where(left, d, b)
        c, d = np.where(left, b - g * (b - a), d), np.where(left, c, a + g * (b - a))
        probe = np.where(left, c, d)
        fp = objective(probe)
        fc, fd = np.where(left, fp, fd), np.where(left, fc, fp)
    phi = corrected_phi((a + b) / 2, n)
    xw, yw, _ = _whitened(phi, x, y0, obs, prev, gap)
    xtx, beta, rss = _solve(xw, yw)
    df = (n - k).astype(float)
    cov = np.linalg.inv(xtx) * (rss / df)[:, None, None]
    return BatchFit(
        phi, beta, np.sqrt(np.diagonal(cov, axis1=1, axis2=2)), effective_df(phi, n, df)
    )


@dataclass(frozen=True)
class BatchVerdicts:
    """Per series: the verdict as `analyse_before_after` gives it, the estimate and its interval."""

    verdict: NDArray[np.str_]
    effect: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    downgraded: NDArray[np.bool_]
    trend_hi: FloatArray
    slope_p_improving: FloatArray


def batch_verdicts(
    day: NDArray[np.int64],
    y: FloatArray,
    plan: PhasePlan,
    start_day: int,
    n_symptoms: NDArray[np.int64] | int = 1,
    alpha: float = 0.05,
    min_baseline_days: int = 10,
    min_treatment_days: int = 14,
) -> BatchVerdicts:
    """Verdicts for the rows of y (one diary each), `n_symptoms` = m for the Bonferroni level."""
    labels = np.array(plan.labels)
    keep = _used(labels)
    day, y, labels = day[keep], y[:, keep], labels[keep]
    obs = ~np.isnan(y)
    n_base = (obs & (labels == BASELINE)[None, :]).sum(axis=1)
    n_treat = (obs & np.char.startswith(labels, "dose_")[None, :]).sum(axis=1)
    usable = (n_base >= min_baseline_days) & (n_treat >= min_treatment_days)
    m = np.broadcast_to(np.asarray(n_symptoms), usable.shape)
    level = 1 - alpha / m
    x, names = _design(day, labels, start_day, pooled=True)
    if ON_LDN not in names:  # no settled dose yet (3 weeks at one dose): nothing to judge
        nothing = np.full(y.shape[0], np.nan)
        none = np.zeros(y.shape[0], dtype=bool)
        too_little = np.full(y.shape[0], "too_little_data")
        return BatchVerdicts(too_little, nothing, nothing, nothing, none, nothing, nothing)
    fit = batch_fit(day, y, x)
    i = names.index(ON_LDN)
    q = special.stdtrit(fit.df, 0.5 + level / 2)
    est, se = fit.params[:, i], fit.bse[:, i]
    lo, hi = est - q * se, est + q * se
    verdict = np.where(hi < 0, "likely_better", np.where(lo > 0, "likely_worse", "no_clear_change"))
    xt, tnames = _design(day, labels, start_day, pooled=True, trend=True)
    tfit = batch_fit(day, y, xt)
    j, t = tnames.index(ON_LDN), tnames.index(TREND)
    tq = special.stdtrit(tfit.df, 0.5 + level / 2)
    t_hi = tfit.params[:, j] + tq * tfit.bse[:, j]
    p_imp = special.stdtr(tfit.df, tfit.params[:, t] / tfit.bse[:, t])
    downgraded = (verdict == "likely_better") & (p_imp < TREND_RULE_P) & (t_hi >= 0)
    verdict = np.where(downgraded, "no_clear_change", verdict)
    verdict = np.where(usable, verdict, "too_little_data")
    nan = np.where(usable, 1.0, np.nan)
    return BatchVerdicts(verdict, est * nan, lo * nan, hi * nan, downgraded & usable, t_hi, p_imp)
