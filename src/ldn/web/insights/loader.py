"""Database rows -> the analysis input: one row per calendar day, dose in mg, one column per symptom.

Five queries whatever the length of the diary (symptoms, ratings, entries, doses, trials), values
only (no model instances), so five years of data load in a few tens of milliseconds. The same
loader serves the dashboard, the trial analysis and `ldn analyze --user NAME`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import FloatField, TextField
from django.db.models.functions import Cast
from numpy.typing import NDArray

from ldn.analysis import AnalysisInputError, DailySeries, daily_series_from_frame
from ldn.journal import SIDE_EFFECTS, THERAPIES
from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import User
from ldn.web.insights.models import Trial
from ldn.web.journal.models import DailyEntry, DoseLog, Symptom, SymptomRating

FloatArray = NDArray[np.float64]
RESERVED = ("date", "ldn_dose_mg")
# Numeric habits screened as possible triggers: (field, label shown to the patient).
NUMERIC_FACTORS = (
    ("sleep_hours", "hours slept"),
    ("sleep_quality", "sleep quality"),
    ("stress", "stress"),
    ("alcohol_units", "alcohol units"),
    ("exercise_minutes", "exercise minutes"),
)
MIN_TAG_DAYS = 5


@dataclass(frozen=True, eq=False)
class Diary:
    """Every calendar day from the first to the last recorded day, as arrays (NaN = not recorded)."""

    dates: tuple[dt.date, ...]
    dose_mg: FloatArray  # 0 before the first LDN dose; planned or taken dose; NaN = not logged
    status: NDArray[np.str_]  # "taken", "missed" or "" (no dose log that day)
    scores: dict[str, FloatArray]
    factors: dict[str, FloatArray] = field(default_factory=dict)
    side_effects: dict[str, FloatArray] = field(default_factory=dict)  # 1 had, 0 not, NaN no entry
    trial_windows: tuple[tuple[dt.date, dt.date], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.dates

    @property
    def first_dose(self) -> dt.date | None:
        on = np.flatnonzero(np.nan_to_num(self.dose_mg) > 0)
        return self.dates[int(on[0])] if on.size else None

    def index(self, day: dt.date) -> int:
        return (day - self.dates[0]).days

    def before(self, day: dt.date) -> Diary:
        """The days before `day` only. The analyses count whole days: `before(today)` is what
        they see, so today's check-in (which may still change) joins them tomorrow."""
        if not self.dates or self.dates[-1] < day:
            return self
        n = max((day - self.dates[0]).days, 0)

        def cut(arrays: dict[str, FloatArray]) -> dict[str, FloatArray]:
            return {name: values[:n] for name, values in arrays.items()}

        return Diary(
            self.dates[:n],
            self.dose_mg[:n],
            self.status[:n],
            cut(self.scores),
            cut(self.factors),
            cut(self.side_effects),
            self.trial_windows,
        )

    def analysis_scores(self) -> dict[str, FloatArray]:
        """Scores for the before/after analysis: days inside a blinded trial are left out."""
        if not self.trial_windows:
            return self.scores
        keep = np.ones(len(self.dates), dtype=bool)
        for start, end in self.trial_windows:
            lo, hi = max(self.index(start), 0), min(self.index(end) + 1, len(self.dates))
            if lo < hi:
                keep[lo:hi] = False
        return {name: np.where(keep, v, np.nan) for name, v in self.scores.items()}

    def frame(self) -> pd.DataFrame:
        """The documented `ldn analyze` table: date, ldn_dose_mg, one column per symptom."""
        columns: dict[str, object] = {
            "date": [d.isoformat() for d in self.dates],
            "ldn_dose_mg": self.dose_mg,
        }
        for name, values in self.analysis_scores().items():
            columns[f"{name} (symptom)" if name in RESERVED else name] = values
        return pd.DataFrame(columns)

    def series(self) -> DailySeries:
        return daily_series_from_frame(self.frame())


def load_diary(patient: User, *, symptoms: list[tuple[int, str]] | None = None) -> Diary:
    """The patient's whole diary; `symptoms` (id, name) defaults to their active symptoms."""
    if symptoms is None:
        symptoms = list(
            Symptom.objects.filter(patient=patient, active=True).values_list("id", "name")
        )
    # Ratings as plain integers (entry id, symptom id, score): no join, no per-row date parsing,
    # fetched with the ORM's own SQL straight into an array (tens of thousands of rows).
    ratings_qs = SymptomRating.objects.filter(entry__patient=patient).values_list(
        "entry_id", "symptom_id", "score"
    )
    sql, params = ratings_qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ratings = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 3)
    # JSON lists arrive as text and are decoded only when not empty (most days have none).
    entries = list(
        DailyEntry.objects.filter(patient=patient)
        .annotate(
            se=Cast("side_effects", TextField()),
            tg=Cast("tags", TextField()),
            th=Cast("therapies", TextField()),
            **{f"f_{f}": Cast(f, FloatField()) for f, _ in NUMERIC_FACTORS},
        )
        .values_list("id", "day", "se", "tg", "th", *(f"f_{f}" for f, _ in NUMERIC_FACTORS))
    )
    doses = list(
        DoseLog.objects.filter(patient=patient)
        .annotate(mg=Cast("amount_mg", FloatField()))
        .values_list("day", "status", "mg")
    )
    windows = tuple(
        (start, start + dt.timedelta(days=2 * pairs * period - 1))
        for start, pairs, period in Trial.objects.filter(patient=patient).values_list(
            "start", "pairs", "period_days"
        )
    )
    days = [e[1] for e in entries] + [d[0] for d in doses]
    if not days:
        empty = np.array([], dtype=float)
        return Diary((), empty, np.array([], dtype=str), {name: empty for _, name in symptoms})
    first, last = min(days), max(days)
    n = (last - first).days + 1
    dates = tuple(first + dt.timedelta(days=i) for i in range(n))

    def at(day: dt.date) -> int:
        return (day - first).days

    # Day index of each rating: entry ids sorted, then looked up with searchsorted.
    entry_ids = np.array([e[0] for e in entries], dtype=np.int64)
    entry_pos = np.array([at(e[1]) for e in entries], dtype=np.int64)
    order = np.argsort(entry_ids)
    where = order[np.searchsorted(entry_ids[order], ratings[:, 0])] if len(entries) else order
    rating_pos = entry_pos[where] if len(entries) else entry_pos
    scores = {}
    for symptom_id, name in symptoms:
        values = np.full(n, np.nan)
        mine = ratings[:, 1] == symptom_id
        values[rating_pos[mine]] = ratings[mine, 2]
        scores[name] = values

    dose = np.full(n, np.nan)
    status = np.full(n, "", dtype="<U6")
    for day, state, amount in doses:
        status[at(day)] = state
        if amount is not None:
            dose[at(day)] = amount
    on = np.flatnonzero(np.nan_to_num(dose) > 0)
    if on.size:
        dose[: on[0]] = 0.0
    else:
        dose[:] = 0.0
    factors, side = _entry_arrays(entries, n, at)
    return Diary(dates, dose, status, scores, factors, side, windows)


def _entry_arrays(
    entries: list[tuple], n: int, at: object
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Numeric habits, 0/1 tags and therapies, and 0/1 side effects per day (NaN: no entry)."""
    recorded = np.zeros(n, dtype=bool)
    numeric = {label: np.full(n, np.nan) for _, label in NUMERIC_FACTORS}
    tag_days: dict[str, list[int]] = {}
    effect_days: dict[str, list[int]] = {}
    for _, day, effects, tags, therapies, *values in entries:
        i = at(day)  # type: ignore[operator]
        recorded[i] = True
        for (_, label), value in zip(NUMERIC_FACTORS, values, strict=True):
            if value is not None:
                numeric[label][i] = value
        for tag in _items(tags):
            tag_days.setdefault(f"tag “{tag}”", []).append(i)
        for therapy in _items(therapies):
            tag_days.setdefault(THERAPIES.get(therapy, therapy).lower(), []).append(i)
        for code in _items(effects):
            effect_days.setdefault(code, []).append(i)
    base = np.where(recorded, 0.0, np.nan)
    factors = {k: v for k, v in numeric.items() if np.count_nonzero(~np.isnan(v))}
    for name, idx in sorted(tag_days.items()):
        if len(set(idx)) >= MIN_TAG_DAYS:
            values = base.copy()
            values[idx] = 1.0
            factors[name] = values
    side = {}
    for code in sorted(
        effect_days, key=lambda c: list(SIDE_EFFECTS).index(c) if c in SIDE_EFFECTS else 99
    ):
        values = base.copy()
        values[effect_days[code]] = 1.0
        side[code] = values
    return factors, side


def _items(text: str | None) -> list[str]:
    if not text or text == "[]":
        return []
    value = json.loads(text)
    return [str(v) for v in value] if isinstance(value, list) else []


def series_for_username(username: str) -> DailySeries:
    """`ldn analyze --user NAME`: the stored patient's diary as the analysis input."""
    from django.db import DatabaseError

    try:
        patient = User.objects.filter(username=username, role=User.Role.PATIENT).first()
    except DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise AnalysisInputError(
            f"--user needs a prepared database (run `ldn serve` once): {first}"
        ) from None
    if patient is None:
        raise AnalysisInputError(f"--user must name a patient in the database, got {username!r}")
    diary = load_diary(patient).before(local_today(patient))  # whole days, as the insights page
    if diary.empty:
        raise AnalysisInputError(
            f"the diary of {username!r} must have recorded days before today, got none"
        )
    if not diary.scores:
        raise AnalysisInputError(f"{username!r} must track at least one symptom, got none")
    return diary.series()
