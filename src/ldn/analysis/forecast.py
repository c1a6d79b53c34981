"""When will I know? The date by which a change of a given size would be detectable at 80% power.

From the patient's own scores so far (any phase, from the first week of baseline): sigma and phi of
the AR(1) noise are fitted with the same gap-aware REML as the verdict (`reml_phi`, one level per
phase seen; phi debiased for the few days, `_noise`). The future is laid out as the verdict will
see it: reference baseline (before the run-in), run-in, titration, then settled-dose days, missing
days thinned at the patient's own rate so far. The GLS information of the design is accumulated
day by day, so the standard error of the settled-vs-baseline contrast is known for every possible
length of the settled phase at once. The power is that of the verdict's own test, which estimates sigma and phi itself (`_power_curve`), with
its critical value (t, Bonferroni over the symptoms). The first settled day on which power reaches
80% is the forecast date. When the reference baseline is
too short or too noisy for any length on LDN to reach 80%, the forecast says so (and, before the
first dose, how many weeks of baseline would be enough).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special, stats

from ldn.analysis.ar1 import (
    PHI_BOUNDS,
    corrected_phi,
    debiased_reml,
    effective_df,
    reml_mean,
    reml_phi,
    whiten,
)

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
PHI_LOW, PHI_HIGH = PHI_BOUNDS
PRIOR_DAYS = 7
# Scores are whole points: a feeling rounded to the nearest point carries at least the rounding's
# own variance, 1/12 of a point squared (a uniform error on +-0.5; Sheppard's correction), even
# when every day so far got the same score. The forecast never assumes less noise than that (with
# sigma 0 it divided by zero and promised any change at once).
ROUNDING_SD = float(np.sqrt(1 / 12))
# The forecast's calibration reaches this far (benchmarks/analysis_calibration.py: within a week of
# the empirical 80% point up to here; measured out to 104 weeks it ran 8-12 weeks late beyond).
CHECKED_WEEKS = 26


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

    @property
    def rough(self) -> bool:
        """The date lies beyond the weeks the forecast's calibration reaches (CHECKED_WEEKS)."""
        return self.settled_days is not None and beyond_checked(self.settled_days)


def beyond_checked(settled_days: int) -> bool:
    """Further out on a settled dose than the forecast was checked (CHECKED_WEEKS)."""
    return settled_days > 7 * CHECKED_WEEKS


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
    pick: slice = slice(None),
) -> tuple[NDArray[np.int64], FloatArray, int]:
    """For observed settled days d (`pick` of them): SE of the settled-minus-reference level using
    days <= d."""
    # As the verdict does: only reference and settled days; run-in and titration are left out.
    day = observed_days[(observed_days < ref_end) | (observed_days >= settled)]
    x = np.column_stack([np.ones(day.size), (day >= settled).astype(float)])
    p = x.shape[1]
    _, xw, _ = whiten(phi, np.zeros(day.size), x, np.diff(day).astype(float))
    first = int(np.searchsorted(day, settled))
    cand = np.arange(first + 1, day.size)[pick]  # need >= 2 settled days for a contrast
    if cand.size == 0:
        return np.array([], dtype=np.int64), np.array([]), p
    # The 2 x 2 information matrix up to each day; the contrast's variance is its inverse's [1, 1].
    a00, a01, a11 = (np.cumsum(xw[:, i] * xw[:, j])[cand] for i, j in ((0, 0), (0, 1), (1, 1)))
    det = a00 * a11 - a01**2
    ok = det > 1e-12
    var = np.full(cand.size, np.inf)
    var[ok] = a00[ok] / det[ok]
    return day[cand], sigma * np.sqrt(var), p


# Probabilists' Gauss-Hermite nodes and weights: E f(Z), Z ~ N(0, 1), exact for degree <= 9.
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(5)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()
_GRID = 13  # phi values the design's SE is computed at (then interpolated)
STRIDE = 7  # the power curve is first computed at every 7th observed settled day (at least)


def nct_sf(c: FloatArray, df: FloatArray, nc: FloatArray | float) -> FloatArray:
    """P(T > c) for a noncentral t with `df` and noncentrality `nc`, by the normal approximation
    Phi((nc - c (1 - 1/(4 df))) / sqrt(1 + c^2 / (2 df))): within 0.003 of scipy's exact nctdtr
    for df >= 10 (tests/analysis/test_forecast.py) and ~50 times faster, which the forecast needs
    (it evaluates it for every candidate day and quadrature node)."""
    c = np.asarray(c, dtype=float)
    df = np.asarray(df, dtype=float)
    return np.asarray(special.ndtr((nc - c * (1 - 1 / (4 * df))) / np.sqrt(1 + c**2 / (2 * df))))


@functools.lru_cache(maxsize=16)
def _t_table(crit_q: float) -> tuple[FloatArray, FloatArray]:
    log_df = np.linspace(np.log(2.0), np.log(1e5), 2000)
    return log_df, np.asarray(special.stdtrit(np.exp(log_df), crit_q))


def _t_quantile(df: FloatArray, crit_q: float) -> FloatArray:
    """scipy's t quantile, interpolated in log df from a 2,000-point table (error < 2e-4)."""
    log_df, q = _t_table(crit_q)
    return np.asarray(np.interp(np.log(df), log_df, q))


def _interp(grid: FloatArray, values: FloatArray, at_phi: FloatArray) -> FloatArray:
    """values (grid x days) interpolated at one phi per day: log values linear in atanh(phi), in
    which the SE of a level (sqrt((1 + phi) / (1 - phi)) for a long run) is nearly a straight line."""
    u, at_u = np.arctanh(grid), np.arctanh(np.clip(at_phi, grid[0], grid[-1]))
    j = np.clip(np.searchsorted(u, at_u) - 1, 0, grid.size - 2)
    t = (at_u - u[j]) / (u[j + 1] - u[j])
    cols = np.arange(values.shape[1])
    logs = np.log(values)
    return np.asarray(np.exp((1 - t) * logs[j, cols] + t * logs[j + 1, cols]))


def _power_curve(
    sigma: float,
    phi: float,
    phi_sd: float,
    days: NDArray[np.int64],
    ref_end: int,
    start: int,
    settled: int,
    change: float,
    crit_q: float,
    pick: slice = slice(None),
) -> tuple[NDArray[np.int64], FloatArray]:
    """Power of the verdict's own test for every possible last settled day (`pick` of them).

    The verdict does not know sigma and phi: it estimates them from the same days and builds its
    interval from the estimates, with its own df (`effective_df`). Plugging the values into
    Phi(change / SE - c) overstated its power by 5-9 points where phi > 0 (benchmark), because a
    phi estimated high widens the interval more than one estimated low narrows it, and sigma's own
    sampling error adds to it. So, for each day: the estimate is N(-change, (sigma g(phi))^2), with
    g the design's GLS standard error per unit sigma; the verdict's half-width is
    q(phi_hat) sigma_hat g(phi_hat); sigma_hat^2 ~ sigma^2 chi2(n - k) / (n - k) gives a noncentral
    t for each phi_hat, averaged over phi_hat ~ N(phi_v, (1 - phi^2) / n_phi) (the large-sample
    variance of a lag-1 autocorrelation, Bartlett, with n_phi the pairs of neighbouring days less 2
    per segment) by 5-point Gauss-Hermite quadrature. phi_v is where the verdict's estimate lies
    on average: `corrected_phi` of a REML estimate whose mean is `reml_mean`, about
    phi + (1 + phi) / n (measured on 2,000 simulated verdicts: +0.012/+0.016/+0.014 at phi
    0/0.3/0.6 with 88/57/88 days, against 0.011/0.023/0.018); centred on phi, the model put the
    verdict's power 1-3 points too high near 80% at phi 0.3-0.6. The patient's own phi is itself
    known only to +- `phi_sd` from the days so far: the power is averaged over that too
    (predictive power, our suggestion; without it the forecast ran 1.1 weeks early at phi 0.3 and
    0.6 for 2 points, benchmark).
    """
    used = days[(days < ref_end) | (days >= settled)]
    spread = np.hypot(
        np.sqrt(max(1 - phi**2, 0.05) / max(int(np.sum(used < ref_end)) - 2, 3)), phi_sd
    )
    lo, hi = max(phi - 4 * spread, PHI_LOW), min(phi + 4 * spread, PHI_HIGH)
    grid = np.tanh(np.linspace(np.arctanh(lo), np.arctanh(hi), _GRID))
    at = np.array([], dtype=np.int64)
    g = []
    for value in grid:
        at, se, p = _se_by_settled_day(1.0, float(value), days, ref_end, start, settled, pick)
        g.append(se)
    if at.size == 0:
        return at, np.array([])
    g_grid = np.array(g)  # (grid, days)
    n_used = (np.searchsorted(used, at) + 1).astype(float)
    nu = n_used - p
    # Only pairs of neighbouring days inform phi directly (a 2-day gap informs phi^2), and each of
    # the two segments (reference, settled) has its own mean: n for phi is the number of such
    # pairs, less 2 per segment.
    pairs = np.concatenate([[0], np.cumsum(np.diff(used) == 1)])[n_used.astype(int) - 1]
    n_phi = np.maximum(pairs - 4, 4)
    power = np.zeros(at.size)
    for z_true, w_true in zip(_NODES, _WEIGHTS, strict=True):
        true = float(np.clip(phi + z_true * phi_sd, PHI_LOW, PHI_HIGH))
        g_true = _interp(grid, g_grid, np.full(at.size, true))
        sd_hat = np.sqrt(max(1 - true**2, 0.0) / n_phi)
        centre = corrected_phi(reml_mean(true, n_used), n_used)  # the verdict's own phi, on average
        for z, w in zip(_NODES, _WEIGHTS, strict=True):
            ph = np.clip(centre + z * sd_hat, PHI_LOW, PHI_HIGH)
            g_hat = _interp(grid, g_grid, ph)
            q = _t_quantile(effective_df(ph, n_used, nu), crit_q)
            tail = nct_sf(q * g_hat / g_true, nu, change / (sigma * g_true))
            power += w_true * w * tail
    return at, power


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
    This does not count the rule twice: `_power_curve` is the power of the interval alone, and the
    rule removed 2.0-2.9% of the interval's detections (relative) in every forecast case of the
    benchmark at 4-26 weeks settled (4,000 patients each), against the 2.5% assumed.
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
    phi, sigma = _noise(reml_phi(d_seen, y[seen], x), d_seen, y[seen], x)
    # How well the days so far pin the patient's phi down (pairs of neighbouring days, less 2 per
    # level fitted, plus the prior's weight), for the predictive power in `_power_curve`.
    n_phi = int(np.sum(np.diff(d_seen) == 1)) - 2 * len(levels) + PRIOR_DAYS
    phi_sd = float(np.sqrt((1 - phi**2) / max(n_phi, PRIOR_DAYS)))
    rate = n_seen / (int(day_all[seen][-1]) - int(day_all[seen][0]) + 1)
    detections = tuple(
        _detect(
            today,
            change,
            sigma,
            phi,
            phi_sd,
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
    # A negative estimate is chance around no carry-over (scores do not alternate day by day).
    lead = (
        f"Based on your day-to-day ups and downs so far ({n_seen} scored days: spread {sigma:.1f} "
        f"points, day-to-day carry-over {max(phi, 0.0):.2f})"
    )
    return Forecast(sigma, phi, n_seen, first + dt.timedelta(days=m), detections, lead + ".")


def _noise(
    phi_reml: float, day: NDArray[np.int64], y: FloatArray, x: FloatArray
) -> tuple[float, float]:
    """phi and marginal SD for the forecast, stable from the first week (our suggestion).

    phi: the REML estimate plus its first-order bias, 2 phi / n (`reml_mean`), shrunk towards
    PRIOR_PHI with the weight of PRIOR_DAYS days at first, so that one week of scores cannot swing
    it to the bounds, fading as days accumulate (PRIOR_DAYS^2 / n days' weight: a fixed week's
    weight still pulled phi 0 up and 0.6 down by enough to move the forecast a week, benchmark);
    sigma: as the verdict estimates it, the GLS residual SD (df n - k) of the whitened scores at
    that phi. The residual SD around the phase means with a first-order correction for
    autocorrelation, used before, ran 3-4% low at phi 0.3-0.6 (benchmark), and power near 80% is
    sensitive to it.

    Not the verdict's `corrected_phi`: that adds ML's bias, (1 + 3 phi) / n, to an estimate whose
    bias is only -2 phi / n, so from the ~25 days of a 4-week baseline it ran 0.04-0.07 high
    (median), and sigma with it (the residual SD whitened at too high a phi is too large: 1.567
    against 1.527 at phi 0.3, median of 1,000 patients). Both push the date later where the power
    curve is flat near 80%: the forecast for 2 points at phi 0.3 from a 4-week baseline ran 3
    weeks late (9.9 against the empirical 6.7, benchmark, 1,000 patients); debiased it is 7.1.
    The verdict's own phi (made from more days) is modelled with the same bias in `_power_curve`.

    phi is kept within the verdict's own bounds (PHI_BOUNDS), not cut at 0: the verdict's estimate
    can fall below 0 and `_power_curve` models it there. Cut at 0, the point estimate is biased
    up wherever the true phi is near 0 (with 8 weeks of white-noise baseline about 4 patients in
    10 have a negative estimate; the mean estimate is +0.07 cut, +0.02 uncut), on top of the spread
    `_power_curve` already averages over (phi_sd); the forecast then ran 1.3 weeks late at phi 0
    for 1 point (benchmark), where power rises only 2-3 points a week.
    """
    n, k = x.shape
    phi_hat = debiased_reml(phi_reml, n)
    weight = PRIOR_DAYS * min(1.0, PRIOR_DAYS / n)  # a week's worth at first, fading after
    phi = float(np.clip((n * phi_hat + weight * PRIOR_PHI) / (n + weight), PHI_LOW, 0.95))
    yw, xw, _ = whiten(phi, y, x, np.diff(day).astype(float))
    beta, *_ = np.linalg.lstsq(xw, yw, rcond=None)
    sigma = float(np.sqrt(np.sum((yw - xw @ beta) ** 2) / max(n - k, 1)))
    return phi, max(sigma, ROUNDING_SD)


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
    phi_sd: float,
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
        used = days[(days < ref_end) | (days >= m_)]  # the days the verdict's fit will use

        def first_hit(pick: slice) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
            at, pw = _power_curve(sigma, phi, phi_sd, days, ref_end, s_, m_, change, crit_q, pick)
            settled_n = np.searchsorted(used, at) + 1 - np.searchsorted(used, m_)
            ready = (settled_n >= MIN_SETTLED_DAYS) & (at - m_ + 1 >= SETTLED_RECOGNISED_DAYS)
            return at, np.flatnonzero((pw >= power) & ready)

        # Every 7th observed settled day first (fewer when there are years of them), then the days
        # between the last one short of power and the first one reaching it.
        stride = max(STRIDE, int(np.sum(used >= m_)) // 50)
        _, hit = first_hit(slice(None, None, stride))
        if not hit.size:
            return None, True
        h = int(hit[0]) * stride
        at, fine = first_hit(slice(max(h - stride + 1, 0), h + 1))
        return int(at[fine[0]]), False

    hit_day, limited = reach(s, m)
    label = f"a {change:g}-point change"
    if hit_day is not None:
        date = first + dt.timedelta(days=hit_day)
        settled_days = hit_day - m + 1
        if date < today:
            sentence = (
                f"If {label} were real, it would probably show by now: your diary reached 80% "
                f"power for it on {date:%-d %b %Y}."
            )
        elif beyond_checked(settled_days):
            # Calibrated only up to CHECKED_WEEKS: further out it ran 8-12 weeks late (benchmark).
            sentence = (
                f"If {label} is real, it would take more than {CHECKED_WEEKS} weeks on a settled "
                f"dose to show, 4 times in 5 (our estimate: by {date:%-d %b %Y}; estimates this "
                "far ahead are rough)."
            )
        else:
            sentence = (
                f"If {label} is real, it should be clear by {date:%-d %b %Y} "
                f"({(hit_day - m) // 7 + 1} weeks on a settled dose), 4 times in 5."
            )
        return Detection(change, date, settled_days, False, None, sentence, date < today)
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
            f"With your ups and downs and the days you scored before LDN, a before/after "
            f"comparison would not show {label} reliably (4 times in 5), however long you stay on "
            "LDN; a blinded trial can answer it."
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
