"""When will I know? The date by which a change of a given size would be detectable at 80% power.

From the patient's own scores so far (any phase, from the first week of baseline): sigma and phi of
the AR(1) noise are fitted with the same gap-aware REML as the verdict (`fit_ar1`, one level per
phase seen). The future is laid out as the verdict will see it: reference baseline (before the
run-in), run-in, titration, then settled-dose days, missing days thinned at the patient's own rate
so far. The GLS information of the design is accumulated day by day, so the standard error of the
settled-vs-baseline contrast is known for every possible length of the settled phase at once, and
power = Phi(change / SE - c) with c the verdict's own critical value (t, Bonferroni over the symptoms).
The first settled day on which power reaches 80% is the forecast date. When the reference baseline is
too short or too noisy for any length on LDN to reach 80%, the forecast says so (and, before the
first dose, how many weeks of baseline would be enough).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special, stats

from ldn.analysis.ar1 import effective_df, fit_ar1, whiten

FloatArray = NDArray[np.float64]
MIN_FORECAST_DAYS = 7
HORIZON_DAYS = 2 * 365
PLANNED_BASELINE_DAYS = 28
PLANNED_TITRATION_DAYS = 28
BASELINE_OPTIONS_WEEKS = (4, 6, 8, 10, 12, 16)
MIN_REFERENCE_DAYS = 10  # the verdict's own minimums (before_after)
MIN_SETTLED_DAYS = 14
SETTLED_RECOGNISED_DAYS = 21
# Our assumption: phi 0.3 is the review design's typical day-to-day carry-over (issue 14); it only
# steadies the first weeks (weight of 7 days) and fades as the patient's own days accumulate.
PRIOR_PHI = 0.3
PRIOR_DAYS = 7  # phases.assign_phases: a dose held 21 days counts as settled


@dataclass(frozen=True)
class Detection:
    """When a `change`-point shift would be detectable at `power`; date None = not reachable."""

    change: float
    date: dt.date | None
    settled_days: int | None
    limited_by_baseline: bool
    baseline_weeks_needed: int | None
    sentence: str
    passed: bool = False  # the date is already behind us: a change this size would likely show now


@dataclass(frozen=True)
class Forecast:
    """The noise the forecast is built on and one `Detection` per change size."""

    sigma: float | None
    phi: float | None
    days_used: int
    settled_start: dt.date | None
    detections: tuple[Detection, ...]
    sentence: str

    def for_change(self, change: float) -> Detection | None:
        return next((d for d in self.detections if d.change == change), None)


def _kept(n: int, rate: float) -> NDArray[np.bool_]:
    """A deterministic pattern keeping `rate` of n future days, evenly spread."""
    k = np.floor(np.arange(1, n + 1) * rate) - np.floor(np.arange(n) * rate)
    return k > 0


def _se_by_settled_day(
    sigma: float,
    phi: float,
    observed_days: NDArray[np.int64],
    ref_end: int,
    start: int,
    settled: int,
) -> tuple[NDArray[np.int64], FloatArray, int]:
    """For every observed settled day d: SE of the settled-minus-reference level using days <= d."""
    # As the verdict does: only reference and settled days; run-in and titration are left out.
    day = observed_days[(observed_days < ref_end) | (observed_days >= settled)]
    x = np.column_stack([np.ones(day.size), (day >= settled).astype(float)])
    p = x.shape[1]
    _, xw, _ = whiten(phi, np.zeros(day.size), x, np.diff(day).astype(float))
    info = np.cumsum(xw[:, :, None] * xw[:, None, :], axis=0)
    first = int(np.searchsorted(day, settled))
    cand = np.arange(first + 1, day.size)  # need >= 2 settled days for a contrast
    if cand.size == 0:
        return np.array([], dtype=np.int64), np.array([]), p
    mats = info[cand]
    ok = np.linalg.det(mats) > 1e-12
    var = np.full(cand.size, np.inf)
    var[ok] = np.linalg.inv(mats[ok])[:, -1, -1]
    return day[cand], sigma * np.sqrt(var), p


def _power(se: FloatArray, change: float, df: FloatArray, crit_q: float) -> FloatArray:
    c = special.stdtrit(df, crit_q)
    return np.asarray(special.ndtr(change / se - c))


def forecast_detection(
    dates: tuple[dt.date, ...],
    scores: FloatArray,
    *,
    today: dt.date,
    start: dt.date | None,
    settled_start: dt.date | None,
    n_symptoms: int = 1,
    alpha: float = 0.05,
    power: float = 0.8,
    guard_days: int = 14,
    changes: tuple[float, ...] = (1.0, 2.0),
    planned_baseline_days: int = PLANNED_BASELINE_DAYS,
    planned_titration_days: int = PLANNED_TITRATION_DAYS,
    rule_cost: float = 0.0,
) -> Forecast:
    """Forecast, per change size, the date the verdict would reach `power` (see module docstring).

    `rule_cost`: the share of real changes the verdict's trend rule downgrades (its threshold, as the
    rule fires on chance trends at that rate), so the test itself must reach power / (1 - rule_cost).
    """
    if n_symptoms < 1:
        raise ValueError(f"n_symptoms must be 1 or more, got {n_symptoms}")
    y = np.asarray(scores, dtype=float)
    first = dates[0]
    day_all = np.array([(d - first).days for d in dates], dtype=np.int64)
    seen = ~np.isnan(y)
    n_seen = int(seen.sum())
    if n_seen < MIN_FORECAST_DAYS:
        need = MIN_FORECAST_DAYS - n_seen
        return Forecast(
            None,
            None,
            n_seen,
            settled_start,
            (),
            f"After {need} more scored day{'s' if need != 1 else ''} we can estimate when you will know.",
        )
    today_i = (today - first).days
    last_i = max(int(day_all[-1]), today_i)
    # Before the first dose: LDN is assumed to start once the diary spans `planned_baseline_days`.
    span = last_i + 1 - int(day_all[seen][0])
    s = (start - first).days if start else last_i + 1 + max(planned_baseline_days - span, 0)
    m = (
        (settled_start - first).days
        if settled_start
        else max(s + planned_titration_days, last_i + 1)
    )
    # Noise from the days so far, one level per phase seen (so a change on LDN is not called noise).
    d_seen = day_all[seen]
    phase = np.select([d_seen < s - guard_days, d_seen < s, d_seen < m], [0, 1, 2], default=3)
    levels = [k for k in range(4) if np.any(phase == k)]
    x = np.column_stack([(phase == k).astype(float) for k in levels])
    fit = fit_ar1(d_seen, y[seen], x, tuple(str(k) for k in levels))
    phi, sigma = _noise(fit.phi, y[seen], x)
    rate = n_seen / (int(day_all[seen][-1]) - int(day_all[seen][0]) + 1)
    detections = tuple(
        _detect(
            today,
            change,
            sigma,
            phi,
            d_seen,
            rate,
            last_i,
            s,
            m,
            guard_days,
            n_symptoms,
            alpha,
            min(power / (1 - rule_cost), 0.99),
            first,
            start is None,
            planned_baseline_days,
        )
        for change in changes
    )
    lead = (
        f"Based on your day-to-day ups and downs so far ({n_seen} scored days: spread {sigma:.1f} "
        f"points, day-to-day carry-over {phi:.2f})"
    )
    return Forecast(sigma, phi, n_seen, first + dt.timedelta(days=m), detections, lead + ".")


def _noise(phi_hat: float, y: FloatArray, x: FloatArray) -> tuple[float, float]:
    """phi and marginal SD for the forecast, stable from the first week (our suggestion).

    phi: the (bias-corrected) REML estimate shrunk towards PRIOR_PHI with the weight of
    PRIOR_DAYS days, so that one week of scores cannot swing it to the bounds; sigma: the residual
    SD around the phase means, corrected for the downward bias autocorrelation gives it.
    """
    n, k = x.shape
    phi = float(np.clip((n * phi_hat + PRIOR_DAYS * PRIOR_PHI) / (n + PRIOR_DAYS), 0.0, 0.95))
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    s2 = float(np.sum((y - x @ beta) ** 2)) / max(n - k, 1)
    shrink = max(1 - 2 * phi / (max(n - k, 1) * (1 - phi)), 0.25)
    return phi, float(np.sqrt(s2 / shrink))


def _timeline(
    d_seen: NDArray[np.int64], rate: float, last_i: int, s: int, m: int, guard: int
) -> tuple[NDArray[np.int64], int]:
    future = np.arange(last_i + 1, m + HORIZON_DAYS)
    days = np.concatenate([d_seen, future[_kept(future.size, rate)]])
    return days, s - guard


def _detect(
    today: dt.date,
    change: float,
    sigma: float,
    phi: float,
    d_seen: NDArray[np.int64],
    rate: float,
    last_i: int,
    s: int,
    m: int,
    guard: int,
    n_symptoms: int,
    alpha: float,
    power: float,
    first: dt.date,
    can_extend_baseline: bool,
    planned_baseline: int,
) -> Detection:
    crit_q = 1 - alpha / (2 * n_symptoms)

    def reach(s_: int, m_: int) -> tuple[int | None, bool]:
        days, ref_end = _timeline(d_seen, rate, last_i, s_, m_, guard)
        if np.sum(days < ref_end) < MIN_REFERENCE_DAYS:
            return None, True
        at, se, p = _se_by_settled_day(sigma, phi, days, ref_end, s_, m_)
        if at.size == 0:
            return None, False
        used = days[(days < ref_end) | (days >= m_)]  # the days the verdict's fit will use
        n_used = np.searchsorted(used, at) + 1
        settled_n = n_used - np.searchsorted(used, m_)
        n_f = n_used.astype(float)
        pw = _power(se, change, effective_df(phi, n_f, n_f - p), crit_q)
        ready = (settled_n >= MIN_SETTLED_DAYS) & (at - m_ + 1 >= SETTLED_RECOGNISED_DAYS)
        hit = np.flatnonzero((pw >= power) & ready)
        return (int(at[hit[0]]) if hit.size else None), not hit.size

    hit_day, limited = reach(s, m)
    label = f"a {change:g}-point change"
    if hit_day is not None:
        date = first + dt.timedelta(days=hit_day)
        if date < today:
            return Detection(
                change,
                date,
                hit_day - m + 1,
                False,
                None,
                f"If {label} were real, it would probably show by now: your diary reached 80% "
                f"power for it on {date:%-d %b %Y}.",
                True,
            )
        return Detection(
            change,
            date,
            hit_day - m + 1,
            False,
            None,
            f"If {label} is real, it should be clear by {date:%-d %b %Y} "
            f"({(hit_day - m) // 7 + 1} weeks on a settled dose), 4 times in 5.",
        )
    weeks_needed = None
    if can_extend_baseline:
        for weeks in BASELINE_OPTIONS_WEEKS:
            if 7 * weeks <= planned_baseline:
                continue
            s2 = s + 7 * weeks - planned_baseline
            got, _ = reach(s2, s2 + (m - s))
            if got is not None and got - (s2 + (m - s)) <= 26 * 7:
                weeks_needed = weeks
                break
    if weeks_needed is not None:
        text = (
            f"With your ups and downs, {label} could not be told from noise with the planned "
            f"baseline; keep scoring before your first dose until you have {weeks_needed} weeks."
        )
    else:
        text = (
            f"With your ups and downs and the days you scored before LDN, {label} cannot be told "
            "from noise by a before/after comparison, however long you stay on LDN; a blinded "
            "trial can answer it."
        )
    return Detection(change, None, None, limited, weeks_needed, text)


def trial_pairs_needed(
    sigma: float,
    phi: float,
    change: float,
    *,
    period_days: int = 14,
    washout_days: int = 4,
    alpha: float = 0.05,
    power: float = 0.8,
    min_pairs: int = 5,
    max_pairs: int = 12,
) -> int | None:
    """Pairs of LDN/placebo periods for `power` to detect `change` (one-sided, paired t as proxy for
    the randomisation test), never fewer than `min_pairs`; None when more than `max_pairs`."""
    n = period_days - washout_days
    lag = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    var_mean = sigma**2 * float(np.sum(phi**lag)) / n**2
    sd_diff = np.sqrt(2 * var_mean)
    for k in range(max(2, min_pairs), max_pairs + 1):
        c = stats.t.ppf(1 - alpha, k - 1)
        if stats.nct.sf(c, k - 1, change / (sd_diff / np.sqrt(k))) >= power:
            return k
    return None
