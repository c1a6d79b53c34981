"""Habits and triggers "worth testing": lagged associations with next-day symptoms, FDR-controlled.

For each factor x symptom pair: regress the symptom `lag` days later on today's factor, adjusting for
today's symptom score (so a bad day followed by a bad day is not blamed on what happened in between),
with Newey-West (HAC) standard errors. Benjamini-Hochberg controls the false discovery rate over all
pairs tested. These are associations in one person's diary, never causes: the output says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class TriggerAssociation:
    """Next-day change in a symptom per 'yes' (binary factor) or per 1 SD (continuous factor)."""

    factor: str
    symptom: str
    lag_days: int
    kind: str
    n_pairs: int
    effect: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    q_value: float | None
    worth_testing: bool
    sentence: str


@dataclass(frozen=True)
class TriggerReport:
    associations: tuple[TriggerAssociation, ...]
    fdr: float
    method: str


METHOD = (
    "OLS of the symptom {lag} day(s) later on today's factor and today's symptom, Newey-West "
    "standard errors; Benjamini-Hochberg false discovery rate {fdr:.0%} over {m} pairs tested. "
    "Associations only - not causes."
)


def _pairs(day: NDArray[np.int64], lag: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Row indices (today, later) for every pair of rows exactly `lag` calendar days apart."""
    pos = {int(d): i for i, d in enumerate(day)}
    today = [i for i, d in enumerate(day) if int(d) + lag in pos]
    return np.array(today, dtype=np.int64), np.array(
        [pos[int(day[i]) + lag] for i in today], dtype=np.int64
    )


def _fit(
    f: FloatArray, s0: FloatArray, s1: FloatArray, binary: bool
) -> tuple[float, float, float, float]:
    """Effect, 95% interval and p-value of today's factor on the later score, given today's score."""
    x = f if binary else (f - f.mean()) / f.std()
    fit = sm.OLS(s1, sm.add_constant(np.column_stack([x, s0]))).fit(
        cov_type="HAC", cov_kwds={"maxlags": 7, "use_correction": True}, use_t=True
    )
    est, se = float(fit.params[1]), float(fit.bse[1])
    q = float(stats.t.ppf(0.975, fit.df_resid))
    return est, est - q * se, est + q * se, float(fit.pvalues[1])


def screen_triggers(
    day: Sequence[int] | NDArray[np.int64],
    symptoms: Mapping[str, FloatArray],
    factors: Mapping[str, FloatArray],
    *,
    lag: int = 1,
    fdr: float = 0.10,
    min_pairs: int = 28,
    min_each: int = 5,
) -> TriggerReport:
    """Screen every factor against every symptom; NaN marks a missing entry."""
    days = np.asarray(day, dtype=np.int64)
    today, later = _pairs(days, lag)
    rows: list[tuple[str, str, str, int, tuple[float, float, float, float] | None]] = []
    for fname, fvals in factors.items():
        f_all = np.asarray(fvals, dtype=float)
        observed = f_all[~np.isnan(f_all)]
        binary = bool(observed.size) and bool(np.isin(observed, (0.0, 1.0)).all())
        for sname, svals in symptoms.items():
            s_all = np.asarray(svals, dtype=float)
            f, s0, s1 = f_all[today], s_all[today], s_all[later]
            ok = ~(np.isnan(f) | np.isnan(s0) | np.isnan(s1))
            f, s0, s1 = f[ok], s0[ok], s1[ok]
            enough = f.size >= min_pairs and (
                min(int(f.sum()), int(f.size - f.sum())) >= min_each if binary else f.std() > 0
            )
            kind = "binary" if binary else "continuous"
            rows.append(
                (fname, sname, kind, int(ok.sum()), _fit(f, s0, s1, binary) if enough else None)
            )
    p_values = [r[4][3] for r in rows if r[4] is not None]
    q_iter = iter(stats.false_discovery_control(p_values, method="bh").tolist() if p_values else [])
    out = []
    for fname, sname, kind, n, fit in rows:
        if fit is None:
            out.append(
                TriggerAssociation(
                    fname,
                    sname,
                    lag,
                    kind,
                    n,
                    None,
                    None,
                    None,
                    None,
                    None,
                    False,
                    f"Not enough days to look at {fname} and next-day {sname} yet.",
                )
            )
            continue
        qv = float(next(q_iter))
        worth = qv <= fdr
        out.append(
            TriggerAssociation(
                fname,
                sname,
                lag,
                kind,
                n,
                fit[0],
                fit[1],
                fit[2],
                fit[3],
                qv,
                worth,
                _sentence(fname, sname, kind, fit, lag, worth),
            )
        )
    return TriggerReport(tuple(out), fdr, METHOD.format(lag=lag, fdr=fdr, m=len(p_values)))


def _sentence(
    factor: str,
    symptom: str,
    kind: str,
    fit: tuple[float, float, float, float],
    lag: int,
    worth: bool,
) -> str:
    est, lo, hi, _ = fit
    when = f"on days after {factor}" if kind == "binary" else f"when {factor} was 1 SD higher"
    later = "the next day" if lag == 1 else f"{lag} days later"
    direction = "higher" if est > 0 else "lower"
    text = (
        f"{symptom.capitalize()} {later} was {abs(est):.1f} points {direction} {when} "
        f"(95% interval {lo:+.1f} to {hi:+.1f})."
    )
    if worth:
        return text + " Worth testing on purpose; an association is not proof of a cause."
    return text + " This could easily be chance."
