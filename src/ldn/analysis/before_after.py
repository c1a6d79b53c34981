"""Is LDN working for me? Per symptom: the settled-dose level against the baseline level, AR(1) errors.

Primary model per symptom, on the observed reference and settled-dose days only:
    score = baseline level + shift on LDN + AR(1) error (calendar-day gaps respected).
Left out as transitions: the run-in (the last `guard_days` before the first dose: the bad spell that
made the patient start never sets the reference), titration, delayed onset (optional first N weeks)
and stopped days. "On LDN" pools all settled-dose days; a second fit splits it into one shift per
dose level for the dose response. The effect is the on-LDN shift.

No trend term in the primary model: a 16-week diary cannot tell a step from a slope, and a trend
through the whole diary absorbed most of a real effect (power ~3% at the 12-week review). A
pre-existing trend is a stated sensitivity instead: the same model plus a linear trend gives the
trend-adjusted estimate shown beside the primary one, and the downgrade rule in `_trend_check`.

Several symptoms: Bonferroni. Each symptom's interval is at level 1 - alpha/m and the verdict is
"likely better/worse" exactly when that interval leaves out 0, so the interval shown is the one the
verdict uses (Holm's step-down can call a symptom whose Bonferroni interval touches 0; we give up
that small gain so that numbers and verdict always agree).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import special

from ldn.analysis.ar1 import Ar1Fit, fit_ar1
from ldn.analysis.forecast import Forecast, forecast_detection
from ldn.analysis.mcid import Mcid, mcid_for
from ldn.analysis.phases import BASELINE, PhasePlan, assign_phases
from ldn.analysis.series import DailySeries

VERDICTS = ("too_little_data", "no_clear_change", "likely_better", "likely_worse")
METHOD = (
    "Level shift per symptom: the settled-dose level against the baseline level; the run-in (last "
    "{guard} days before the first dose), titration, delayed onset and stopped days are left out "
    "as transitions; errors AR(1) over calendar days, fitted by feasible GLS with phi from REML and t "
    "intervals (df allowing for the estimated phi). No trend in the primary model; a trend-adjusted estimate is shown "
    "beside it, and a 'likely better' is downgraded when your scores were already improving and "
    "the trend-adjusted estimate cannot confirm it. Several symptoms: Bonferroni over {m} "
    "symptom(s) at alpha {alpha}, so each interval is a {level} interval and the verdict is "
    "'likely better/worse' exactly when it leaves out 0. P(improvement > MCID) reads the t "
    "sampling distribution of the estimate as a flat-prior posterior, one symptom at a time."
)
ON_LDN = "on_ldn"
TREND = "trend"
# Downgrade when the within-phase trend is improving with one-sided p below this (see _trend_check).
TREND_RULE_P = 0.025


@dataclass(frozen=True)
class DoseEffect:
    """The change from baseline at one settled dose level (dose response), 95% interval."""

    label: str
    n_days: int
    effect: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class TrendCheck:
    """The sensitivity analysis: the same model plus a linear trend (same interval level)."""

    effect: float
    ci_low: float
    ci_high: float
    slope_per_4_weeks: float
    slope_p_improving: float
    already_improving: bool
    downgraded: bool


@dataclass(frozen=True)
class SymptomResult:
    """The before/after answer for one symptom (effect < 0 means lower scores = better).

    `ci_low`/`ci_high` are the interval the verdict uses, at `interval_level` (Bonferroni).
    """

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
    interval_level: float = 0.95
    trend: TrendCheck | None = None
    forecast: Forecast | None = None
    chance_note: str = ""

    @property
    def interval_label(self) -> str:
        """'95%', or e.g. '98.3%' when widened for several symptoms."""
        return (
            f"{self.interval_level:.0%}"
            if self.interval_level >= 0.95
            else f"{self.interval_level:.1%}"
        )


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
    trend: bool = False,
) -> tuple[NDArray[np.float64], tuple[str, ...]]:
    """Intercept, optional trend in years since the first dose, one 0/1 column per non-baseline phase."""
    mapped = np.where(np.char.startswith(labels, "dose_"), ON_LDN, labels) if pooled else labels
    phases = [p for p in dict.fromkeys(mapped.tolist()) if p != BASELINE]
    dummies = [(mapped == p).astype(float) for p in phases]
    if trend:
        cols = [np.ones(len(day)), (day - start_day) / 365.25, *dummies]
        return np.column_stack(cols), ("const", TREND, *phases)
    return np.column_stack([np.ones(len(day)), *dummies]), ("const", *phases)


def _used(labels: NDArray[np.str_]) -> NDArray[np.bool_]:
    """Days the estimate uses: the reference baseline and settled-dose days."""
    return np.asarray((labels == BASELINE) | np.char.startswith(labels, "dose_"))


def _interval(fit: Ar1Fit, name: str, level: float = 0.95) -> tuple[float, float, float, float]:
    i = fit.index(name)
    est, se = float(fit.params[i]), float(fit.bse[i])
    df = fit.df_effective
    q = float(special.stdtrit(df, 0.5 + level / 2))
    p = float(2 * special.stdtr(df, -abs(est) / se)) if se > 0 else 1.0
    return est, est - q * se, est + q * se, p


def _trend_check(
    day: NDArray[np.int64],
    y: NDArray[np.float64],
    labels: NDArray[np.str_],
    start_day: int,
    level: float,
    primary_better: bool,
) -> TrendCheck:
    """Trend-adjusted estimate and the downgrade rule.

    Rule (our suggestion, calibrated in benchmarks/analysis_calibration.py): a 'likely better' is
    downgraded to 'no clear change' when the scores were already drifting towards better within the
    phases (trend one-sided p < TREND_RULE_P) and the trend-adjusted interval, at the verdict's own
    level, does not leave out 0. Both conditions are needed: the trend alone is weakly estimated in a
    short diary, and the trend-adjusted estimate alone has little power (~3% at the 12-week review),
    so using it as the verdict would hide most real improvements. 'Likely worse' is never
    downgraded: a possible harm is not explained away.
    """
    x, names = _design(day, labels, start_day, pooled=True, trend=True)
    fit = fit_ar1(day, y, x, names)
    est, lo, hi, _ = _interval(fit, ON_LDN, level)
    i = fit.index(TREND)
    slope, se = float(fit.params[i]), float(fit.bse[i])
    p_improving = float(special.stdtr(fit.df_effective, slope / se)) if se > 0 else 0.5
    already = p_improving < TREND_RULE_P
    return TrendCheck(
        est,
        lo,
        hi,
        slope * 28 / 365.25,
        p_improving,
        already,
        primary_better and already and hi >= 0,
    )


def _level_label(level: float) -> str:
    return f"{level:.0%}" if abs(level - round(level, 2)) < 1e-9 else f"{level:.1%}"


def _level_words(level: float, m: int) -> str:
    if m == 1:
        return f"a {_level_label(level)} interval"
    return f"a {_level_label(level)} interval, widened because {m} symptoms are checked at once"


def _sentence(
    name: str,
    verdict: str,
    effect: float | None,
    lo: float | None,
    hi: float | None,
    level: float,
    m: int,
    trend: TrendCheck | None,
    forecast: Forecast | None,
) -> str:
    if effect is None or lo is None or hi is None:
        return ""
    size = f"about {abs(effect):.1f} points ({lo:+.1f} to {hi:+.1f}, {_level_words(level, m)})"
    if trend is not None and trend.downgraded:
        return (
            f"Your {name} scores have been lower on LDN than before, by {size}, but they were "
            f"already improving before and within each phase (about {abs(trend.slope_per_4_weeks):.1f} "
            f"points per 4 weeks); allowing for that trend the change is {trend.effect:+.1f} "
            f"({trend.ci_low:+.1f} to {trend.ci_high:+.1f}), so we cannot tell it apart from the "
            "improvement you were already on."
        )
    if verdict == "likely_better":
        text = (
            f"Your {name} scores have been lower on LDN than before, by {size}, more than "
            "day-to-day ups and downs would explain. This does not prove LDN caused it."
        )
        if trend is not None and trend.already_improving:
            text += (
                " Your scores were already drifting down; the change holds even allowing for that."
            )
        return text
    if verdict == "likely_worse":
        return (
            f"Your {name} scores have been higher on LDN than before, by {size}, more than "
            "day-to-day ups and downs would explain. Talk to your prescriber."
        )
    text = (
        f"We cannot tell whether {name} changed on LDN: the estimate is {effect:+.1f} points "
        f"but anything from {lo:+.1f} to {hi:+.1f} fits your data ({_level_words(level, m)})."
    )
    two = forecast.for_change(2.0) if forecast else None
    if two is not None and two.limited_by_baseline:
        text += (
            " The days you scored before LDN, not the time on LDN, limit what can be seen: even a "
            "2-point change would not become clear by staying on LDN longer."
        )
    return text


def _too_little(name: str, n_base: int, n_treat: int, min_base: int, min_treat: int) -> str:
    return (
        f"There is not enough data yet to judge {name}: we need at least {min_base} days "
        f"scored before the two weeks leading up to LDN and {min_treat} days on a settled dose "
        f"(you have {n_base} and {n_treat})."
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
    model_trend: bool = False,
    trend_rule: bool = True,
    today: dt.date | None = None,
    with_forecast: bool = True,
    trend_always: bool = True,
    plan: PhasePlan | None = None,
) -> BeforeAfterReport:
    """Estimate each symptom's change on LDN versus baseline, verdicts Bonferroni across symptoms.

    `model_trend=True` (trend in the primary model, the old estimator), `trend_rule=False` and
    `guard_days=0` exist to measure what each choice costs; `today` (default: the day after the last
    diary day) dates the "when will I know?" forecast. `trend_always=False` (calibration) fits the
    trend-adjusted model only where it can change the verdict; `plan` skips the phase assignment
    when the caller already has it for these dates and doses (simulations of one design).
    """
    plan = plan or assign_phases(
        series,
        baseline_end=baseline_end,
        guard_days=guard_days,
        exclude_weeks=exclude_weeks,
        maintenance_min_days=maintenance_min_days,
    )
    day_all = series.day
    labels_all = np.array(plan.labels)
    start_day = int(day_all[series.dates.index(plan.start)])
    counts: dict[str, tuple[int, int]] = {}
    usable: list[str] = []
    for name, values in series.scores.items():
        lab = labels_all[~np.isnan(values)]
        counts[name] = (int(np.sum(lab == BASELINE)), int(np.sum(np.char.startswith(lab, "dose_"))))
        if counts[name][0] >= min_baseline_days and counts[name][1] >= min_treatment_days:
            usable.append(name)
    m = max(len(usable), 1)
    level = 1 - alpha / m
    when = today or series.dates[-1] + dt.timedelta(days=1)
    results = []
    for name, values in series.scores.items():
        mc = mcid_for(name, series.scales.get(name), mcid)
        n_base, n_treat = counts[name]
        notes: list[str] = []
        if mc.assumption:
            notes.append(
                f"MCID {mc.points:g} point{'' if mc.points == 1 else 's'} is an assumption "
                f"({mc.scale}), not a sourced figure."
            )
        forecast = None
        if with_forecast:
            forecast = forecast_detection(
                series.dates,
                values,
                today=when,
                start=plan.start,
                settled_start=plan.maintenance_start,
                n_symptoms=max(len(series.scores), 1),
                alpha=alpha,
                guard_days=guard_days,
                rule_cost=TREND_RULE_P if trend_rule else 0.0,
            )
        if name not in usable:
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
                    mc,
                    "too_little_data",
                    _too_little(name, n_base, n_treat, min_baseline_days, min_treatment_days),
                    None,
                    (),
                    tuple(notes),
                    level,
                    None,
                    forecast,
                )
            )
            continue
        # Only reference and settled-dose days enter the fit: the run-in and titration (and delayed
        # onset, stopped) are transitions, left out rather than given a level of their own, so an
        # unmodelled shape inside them (a flare fading after the start) cannot leak into the
        # estimate through the AR(1) link between neighbouring days.
        seen = ~np.isnan(values) & _used(labels_all)
        day, y, labels = day_all[seen], values[seen], labels_all[seen]
        x, names = _design(day, labels, start_day, pooled=True, trend=model_trend)
        fit = fit_ar1(day, y, x, names)
        est, lo, hi, p = _interval(fit, ON_LDN, level)
        doses: tuple[DoseEffect, ...] = ()
        dose_levels = [lab for lab in dict.fromkeys(labels.tolist()) if lab.startswith("dose_")]
        if len(dose_levels) > 1:
            xd, dnames = _design(day, labels, start_day, pooled=False, trend=model_trend)
            dfit = fit_ar1(day, y, xd, dnames)
            doses = tuple(
                DoseEffect(lab, int(np.sum(labels == lab)), *_interval(dfit, lab)[:3])
                for lab in dose_levels
            )
        verdict = "no_clear_change"
        if hi < 0:
            verdict = "likely_better"
        elif lo > 0:
            verdict = "likely_worse"
        trend = None
        if not model_trend and (trend_always or verdict == "likely_better"):
            trend = _trend_check(day, y, labels, start_day, level, verdict == "likely_better")
            if trend_rule and trend.downgraded:
                verdict = "no_clear_change"
            elif not trend_rule:
                trend = replace(trend, downgraded=False)
        se = float(fit.bse[fit.index(ON_LDN)])
        p_mcid = float(special.stdtr(fit.df_effective, (-mc.points - est) / se))
        chance_note = (
            f"for {name} alone; the verdict also allows for the {m} symptoms checked at once"
            if m > 1
            else ""
        )
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
                min(1.0, m * p),
                p_mcid,
                mc,
                verdict,
                _sentence(name, verdict, est, lo, hi, level, m, trend, forecast),
                fit.phi,
                doses,
                tuple(notes),
                level,
                trend,
                forecast,
                chance_note,
            )
        )
    method = METHOD.format(guard=guard_days, m=len(usable), alpha=alpha, level=f"{level:.1%}")
    return BeforeAfterReport(symptoms=tuple(results), plan=plan, method=method, alpha=alpha)
