"""The analysis input: one row per calendar day with the LDN dose and the symptom scores.

`daily_series_from_frame` is the single loader every front end uses (the CSV command, the web app's
stored patient), so validation rules live in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ldn.analysis.errors import AnalysisInputError

FloatArray = NDArray[np.float64]
SCORE_MIN, SCORE_MAX = 0.0, 10.0


@dataclass(frozen=True, eq=False)
class DailySeries:
    """Days (strictly increasing), dose in mg (NaN = not recorded) and 0-10 scores (NaN = missing)."""

    dates: tuple[dt.date, ...]
    dose_mg: FloatArray
    scores: dict[str, FloatArray]
    scales: dict[str, str] = field(default_factory=dict)

    @property
    def day(self) -> NDArray[np.int64]:
        first = self.dates[0]
        return np.array([(d - first).days for d in self.dates], dtype=np.int64)

    @property
    def symptoms(self) -> tuple[str, ...]:
        return tuple(self.scores)


def _parse_dates(values: pd.Series) -> tuple[dt.date, ...]:
    parsed = pd.to_datetime(values.astype(str).str.strip(), format="%Y-%m-%d", errors="coerce")
    bad = values[parsed.isna()]
    if len(bad):
        raise AnalysisInputError(
            f"date must be an ISO date (YYYY-MM-DD), got {str(bad.iloc[0])!r} "
            f"in row {int(bad.index[0]) + 2}"
        )
    dates = tuple(ts.date() for ts in parsed)
    if len(set(dates)) != len(dates):
        dup = pd.Series(dates)[pd.Series(dates).duplicated()].iloc[0]
        raise AnalysisInputError(f"date must appear once per day, got {dup.isoformat()} twice")
    return dates


def _numeric(frame: pd.DataFrame, column: str) -> FloatArray:
    raw = frame[column]
    as_text = raw.astype(str).str.strip()
    blank = raw.isna() | (as_text == "") | (as_text.str.lower() == "nan")
    values = pd.to_numeric(raw.where(~blank), errors="coerce")
    bad = raw[values.isna() & ~blank]
    if len(bad):
        raise AnalysisInputError(
            f"{column} must be a number or empty, got {str(bad.iloc[0])!r} in row {int(bad.index[0]) + 2}"
        )
    return values.to_numpy(dtype=float)


def daily_series_from_frame(
    frame: pd.DataFrame,
    *,
    date_column: str = "date",
    dose_column: str = "ldn_dose_mg",
    scales: dict[str, str] | None = None,
) -> DailySeries:
    """Validate a day-per-row table and turn it into a `DailySeries` (sorted by date).

    Every column other than the date and dose columns is a symptom scored 0-10, higher is worse.
    """
    for column in (date_column, dose_column):
        if column not in frame.columns:
            raise AnalysisInputError(
                f"the table must have a {column!r} column, got {list(frame.columns)}"
            )
    symptoms = [c for c in frame.columns if c not in (date_column, dose_column)]
    if not symptoms:
        raise AnalysisInputError("the table must have at least one symptom column, got none")
    frame = frame.reset_index(drop=True)
    dates = _parse_dates(frame[date_column])
    order = np.argsort(np.array([d.toordinal() for d in dates]), kind="stable")
    dose = _numeric(frame, dose_column)[order]
    if np.any(dose[~np.isnan(dose)] < 0):
        raise AnalysisInputError(f"{dose_column} must be 0 or more, got {np.nanmin(dose)}")
    scores: dict[str, FloatArray] = {}
    for name in symptoms:
        values = _numeric(frame, str(name))[order]
        seen = values[~np.isnan(values)]
        if seen.size and (seen.min() < SCORE_MIN or seen.max() > SCORE_MAX):
            worst = seen.min() if seen.min() < SCORE_MIN else seen.max()
            raise AnalysisInputError(f"{name} scores must be between 0 and 10, got {worst:g}")
        scores[str(name)] = values
    return DailySeries(
        dates=tuple(dates[i] for i in order), dose_mg=dose, scores=scores, scales=dict(scales or {})
    )
