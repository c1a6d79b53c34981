"""Reading a diary CSV and writing a before/after report, shared by `ldn analyze` and the web."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from ldn.analysis.before_after import BeforeAfterReport, analyse_before_after
from ldn.analysis.errors import AnalysisInputError
from ldn.analysis.forecast import Forecast
from ldn.analysis.series import DailySeries, daily_series_from_frame

MIN_DAYS = 28


def load_csv(path: Path) -> DailySeries:
    """Read the diary CSV (date, ldn_dose_mg, one 0-10 column per symptom) into a DailySeries."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise AnalysisInputError(f"FILE must exist, got {str(path)!r}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise AnalysisInputError(
            f"FILE must be a readable CSV, got {str(path)!r}: {first}"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return daily_series_from_frame(_from_our_export(frame))


SYMPTOM_PREFIX = "symptom:"


def _from_our_export(frame: pd.DataFrame) -> pd.DataFrame:
    """Our journal export marks symptom columns `symptom:<name>` beside habit columns; keep only
    the date, the dose and the symptoms so the export can be analysed as it is."""
    marked = [c for c in frame.columns if c.startswith(SYMPTOM_PREFIX)]
    if not marked:
        return frame
    kept = (
        frame[["date", "ldn_dose_mg", *marked]]
        if "date" in frame and "ldn_dose_mg" in frame
        else frame
    )
    return kept.rename(columns={c: c[len(SYMPTOM_PREFIX) :].strip() for c in marked})


def forecast_to_json(forecast: Forecast | None) -> dict[str, Any] | None:
    """The "when will I know?" block: per change size, the date 80% power is reached (or why not)."""
    if forecast is None:
        return None
    return {
        "sigma": None if forecast.sigma is None else round(forecast.sigma, 3),
        "phi": None if forecast.phi is None else round(forecast.phi, 3),
        "days_used": forecast.days_used,
        "settled_start": forecast.settled_start.isoformat() if forecast.settled_start else None,
        "power": 0.8,
        "changes": [
            {
                "points": d.change,
                "date": d.date.isoformat() if d.date else None,
                "settled_days": d.settled_days,
                "limited_by_baseline": d.limited_by_baseline,
                "baseline_weeks_needed": d.baseline_weeks_needed,
                "sentence": d.sentence,
            }
            for d in forecast.detections
        ],
        "sentence": forecast.sentence,
    }


def report_to_json(report: BeforeAfterReport) -> dict[str, Any]:
    """The documented JSON shape: {"symptoms": [...], "method": "..."}; effect < 0 = better.

    `ci_low`/`ci_high` are the interval the verdict uses (at `interval_level`); `trend_adjusted`
    and `when_will_i_know` were added after the first release, the older keys are unchanged.
    """

    def num(x: float | None) -> float | None:
        return None if x is None else round(float(x), 4)

    out = []
    for s in report.symptoms:
        tr = s.trend
        out.append(
            {
                "symptom": s.symptom,
                "n_baseline": s.n_baseline,
                "n_treatment": s.n_treatment,
                "effect": num(s.effect),
                "ci_low": num(s.ci_low),
                "ci_high": num(s.ci_high),
                "p_improvement_mcid": num(s.p_improvement_mcid),
                "verdict": s.verdict,
                "interval_level": round(s.interval_level, 4),
                "trend_adjusted": None
                if tr is None
                else {
                    "effect": num(tr.effect),
                    "ci_low": num(tr.ci_low),
                    "ci_high": num(tr.ci_high),
                    "slope_per_4_weeks": num(tr.slope_per_4_weeks),
                    "already_improving": tr.already_improving,
                    "downgraded": tr.downgraded,
                },
                "when_will_i_know": forecast_to_json(s.forecast),
            }
        )
    return {"symptoms": out, "method": report.method}


def render_text(report: BeforeAfterReport) -> str:
    plan = report.plan
    lines = [
        f"LDN started {plan.start.isoformat()}; settled dose from "
        f"{plan.maintenance_start.isoformat() if plan.maintenance_start else 'not reached yet'}.",
        "",
    ]
    for s in report.symptoms:
        lines.append(f"{s.symptom}: {s.verdict.replace('_', ' ')}")
        lines.append(f"  {s.sentence}")
        if s.p_improvement_mcid is not None:
            why = f" ({s.chance_note})" if s.chance_note else ""
            lines.append(
                f"  Chance the improvement is at least {s.mcid.points:g} "
                f"point{'' if s.mcid.points == 1 else 's'} (MCID): "
                f"{s.p_improvement_mcid:.0%}{why}. Days used: {s.n_baseline} before, "
                f"{s.n_treatment} on LDN."
            )
        if s.trend is not None:
            t = s.trend
            lines.append(
                f"  Allowing for a trend (sensitivity): {t.effect:+.1f} ({t.ci_low:+.1f} to "
                f"{t.ci_high:+.1f}); trend {t.slope_per_4_weeks:+.2f} points per 4 weeks."
            )
        if s.forecast is not None and s.verdict in ("likely_better", "likely_worse"):
            # As on the dashboard: the before/after has answered; a forecast that 80% power is
            # out of reach would read as if this answer could not be there.
            lines.append(f"  When will I know? Already clear: {s.verdict.replace('_', ' ')}.")
        elif s.forecast is not None:
            lines.append(f"  When will I know? {s.forecast.sentence}")
            lines.extend(f"    {d.sentence}" for d in s.forecast.detections)
        for d in s.dose_effects:
            lines.append(
                f"  at {d.label.removeprefix('dose_')}: {d.effect:+.1f} ({d.ci_low:+.1f} to "
                f"{d.ci_high:+.1f}), {d.n_days} days"
            )
        lines.extend(f"  Note: {n}" for n in s.notes)
    lines += ["", f"Method: {report.method}"]
    return "\n".join(lines)


def run_report(
    series: DailySeries, baseline_end: dt.date | None, exclude_weeks: int, mcid: float | None
) -> BeforeAfterReport:
    n_days = (series.dates[-1] - series.dates[0]).days + 1
    if n_days < MIN_DAYS:
        raise AnalysisInputError(f"the diary must span at least {MIN_DAYS} days, got {n_days}")
    return analyse_before_after(
        series, baseline_end=baseline_end, exclude_weeks=exclude_weeks, mcid=mcid
    )
