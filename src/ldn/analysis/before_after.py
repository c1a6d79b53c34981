"""Is LDN working for me? Per-symptom segmented regression with a trend and AR(1) errors.

Model per symptom, on observed days only:
    score = baseline level + slope * time + one level shift per phase + AR(1) error,
with phases run-in (the last `guard_days` before the first dose), titration, delayed onset (optional
first N weeks), stopped, and "on LDN" (all settled-dose days pooled; a second fit splits it into one
shift per dose level for the dose response). The effect is the on-LDN shift: the change from
baseline after allowing for the trend the baseline was already on. Holm's step-down correction across
symptoms decides the verdicts; the 95% intervals shown are per symptom (unadjusted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from ldn.analysis.ar1 import Ar1Fit, fit_ar1
from ldn.analysis.mcid import Mcid, mcid_for
from ldn.analysis.multiplicity import holm_adjust
from ldn.analysis.phases import BASELINE, PhasePlan, assign_phases
from ldn.analysis.series import DailySeries

VERDICTS = ("too_little_data", "no_clear_change", "likely_better", "likely_worse")
METHOD = (
    "Segmented regression per symptom: baseline level, linear trend, one level shift per phase "
    "(run-in = last {guard} days before the first dose, titration, delayed onset, LDN); errors AR(1) "
    "over calendar days, fitted by feasible GLS with phi from REML and t intervals (df = n - k). "
    "Verdicts use Holm's correction across {m} symptom(s) at alpha {alpha}. P(improvement > MCID) "
    "reads the t sampling distribution of the estimate as a flat-prior posterior."
)
ON_LDN = "on_ldn"


@dataclass(frozen=True)
class DoseEffect:
    """The change from baseline at one settled dose level (dose response), 95% interval."""

    label: str
    n_days: int
    effect: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class SymptomResult:
    """The before/after answer for one symptom (effect < 0 means lower scores = better)."""

    symptom: str
    n_baseline: int
    n_treatment: int
    effect: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    p_adjusted: float | None
    p_improvement_mcid: float | None
    mcid: Mcid
    verdict: str
    sentence: str
    phi: float | None
    dose_effects: tuple[DoseEffect, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class BeforeAfterReport:
    """All symptoms of one patient, the phase plan used and the method in words."""

    symptoms: tuple[SymptomResult, ...]
    plan: PhasePlan
    method: str
    alpha: float


def _design(
    day: NDArray[np.int64],
    labels: NDArray[np.str_],
    start_day: int,
    pooled: bool,
    trend: bool = True,
) -> tuple[NDArray[np.float64], tuple[str, ...]]:
    """Intercept, trend in years since the first dose, and one 0/1 column per non-baseline phase."""
    mapped = np.where(np.char.startswith(labels, "dose_"), ON_LDN, labels) if pooled else labels
    phases = [p for p in dict.fromkeys(mapped.tolist()) if p != BASELINE]
    cols = [np.ones(len(day)), (day - start_day) / 365.25] + [
        (mapped == p).astype(float) for p in phases
    ]
    names = ("const", "trend", *phases)
    if not trend:
        return np.column_stack(cols[:1] + cols[2:]), ("const", *phases)
    return np.column_stack(cols), names


def _interval(fit: Ar1Fit, name: str, level: float = 0.95) -> tuple[float, float, float, float]:
    i = fit.index(name)
    est, se = float(fit.params[i]), float(fit.bse[i])
    q = float(stats.t.ppf(0.5 + level / 2, fit.df_resid))
    p = float(2 * stats.t.sf(abs(est) / se, fit.df_resid)) if se > 0 else 1.0
    return est, est - q * se, est + q * se, p


def _sentence(
    res_symptom: str,
    verdict: str,
    effect: float | None,
    lo: float | None,
    hi: float | None,
    n_base: int,
    n_treat: int,
    min_base: int,
    min_treat: int,
) -> str:
    if verdict == "too_little_data" or effect is None or lo is None or hi is None:
        return (
            f"There is not enough data yet to judge {res_symptom}: we need at least {min_base} days "
            f"scored before the two weeks leading up to LDN and {min_treat} days on a settled dose "
            f"(you have {n_base} and {n_treat})."
        )
    size = f"about {abs(effect):.1f} points (95% interval {lo:+.1f} to {hi:+.1f})"
    if verdict == "likely_better":
        return (
            f"Your {res_symptom} scores have been lower on LDN than before, by {size}, more than "
            "chance or the trend you were already on would explain. This does not prove LDN caused it."
        )
    if verdict == "likely_worse":
        return (
            f"Your {res_symptom} scores have been higher on LDN than before, by {size}, more than "
            "chance or your earlier trend would explain. Talk to your prescriber."
        )
    return (
        f"We cannot tell whether {res_symptom} changed on LDN: the estimate is {effect:+.1f} points "
        f"but anything from {lo:+.1f} to {hi:+.1f} fits your data."
    )


def analyse_before_after(
    series: DailySeries,
    *,
    baseline_end: dt.date | None = None,
    exclude_weeks: int = 0,
    mcid: float | None = None,
    guard_days: int = 14,
    alpha: float = 0.05,
    min_baseline_days: int = 10,
    min_treatment_days: int = 14,
    maintenance_min_days: int = 21,
    model_trend: bool = True,
) -> BeforeAfterReport:
    """Estimate each symptom's change on LDN versus baseline, with verdicts corrected across symptoms.

    `model_trend=False` and `guard_days=0` exist to measure what those protections cost in power.
    """
    plan = assign_phases(
        series,
        baseline_end=baseline_end,
        guard_days=guard_days,
        exclude_weeks=exclude_weeks,
        maintenance_min_days=maintenance_min_days,
    )
    day_all = series.day
    labels_all = np.array(plan.labels)
    start_day = int(day_all[series.dates.index(plan.start)])
    fits: dict[str, tuple[float, float, float, float, Ar1Fit, tuple[DoseEffect, ...]]] = {}
    counts: dict[str, tuple[int, int]] = {}
    for name, values in series.scores.items():
        seen = ~np.isnan(values)
        day, y, labels = day_all[seen], values[seen], labels_all[seen]
        n_base = int(np.sum(labels == BASELINE))
        n_treat = int(np.sum(np.char.startswith(labels, "dose_")))
        counts[name] = (n_base, n_treat)
        if n_base < min_baseline_days or n_treat < min_treatment_days:
            continue
        x, names = _design(day, labels, start_day, pooled=True, trend=model_trend)
        fit = fit_ar1(day, y, x, names)
        est, lo, hi, p = _interval(fit, ON_LDN)
        doses: tuple[DoseEffect, ...] = ()
        levels = [lab for lab in dict.fromkeys(labels.tolist()) if lab.startswith("dose_")]
        if len(levels) > 1:
            xd, dnames = _design(day, labels, start_day, pooled=False, trend=model_trend)
            dfit = fit_ar1(day, y, xd, dnames)
            doses = tuple(
                DoseEffect(lab, int(np.sum(labels == lab)), *_interval(dfit, lab)[:3])
                for lab in levels
            )
        fits[name] = (est, lo, hi, p, fit, doses)
    adjusted: dict[str, float] = {}
    if fits:
        adjusted = dict(zip(fits, holm_adjust([f[3] for f in fits.values()]), strict=True))
    results = []
    for name in series.scores:
        m = mcid_for(name, series.scales.get(name), mcid)
        n_base, n_treat = counts[name]
        notes: list[str] = []
        if m.assumption:
            notes.append(
                f"MCID {m.points:g} points is an assumption ({m.scale}), not a sourced figure."
            )
        if name not in fits:
            verdict = "too_little_data"
            results.append(
                SymptomResult(
                    name,
                    n_base,
                    n_treat,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    m,
                    verdict,
                    _sentence(
                        name,
                        verdict,
                        None,
                        None,
                        None,
                        n_base,
                        n_treat,
                        min_baseline_days,
                        min_treatment_days,
                    ),
                    None,
                    (),
                    tuple(notes),
                )
            )
            continue
        est, lo, hi, p, fit, doses = fits[name]
        se = float(fit.bse[fit.index(ON_LDN)])
        p_mcid = float(stats.t.cdf((-m.points - est) / se, fit.df_resid))
        verdict = "no_clear_change"
        if adjusted[name] < alpha:
            verdict = "likely_better" if est < 0 else "likely_worse"
        if fit.ljung_box_p < 0.01:
            notes.append(
                "Day-to-day ups and downs follow a more complex pattern than the model assumes; "
                "treat the interval as optimistic."
            )
        results.append(
            SymptomResult(
                name,
                n_base,
                n_treat,
                est,
                lo,
                hi,
                p,
                adjusted[name],
                p_mcid,
                m,
                verdict,
                _sentence(
                    name,
                    verdict,
                    est,
                    lo,
                    hi,
                    n_base,
                    n_treat,
                    min_baseline_days,
                    min_treatment_days,
                ),
                fit.phi,
                doses,
                tuple(notes),
            )
        )
    method = METHOD.format(guard=guard_days, m=len(fits), alpha=alpha)
    return BeforeAfterReport(symptoms=tuple(results), plan=plan, method=method, alpha=alpha)
