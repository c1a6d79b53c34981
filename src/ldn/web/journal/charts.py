"""Shapes one symptom's history into a calendar heat-map, a line chart and a text table.

Two queries whatever the range (ratings, doses); the drawing is coordinates for SVG templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.urls import reverse

from ldn.dosing import tolerance
from ldn.dosing.tolerance import TIMING
from ldn.web.accounts.models import User
from ldn.web.journal.models import DoseLog, Symptom, SymptomRating

RANGES = {"3m": 91, "1y": 365, "all": 365 * 50}
CHART_W, CHART_H, PAD = 720, 220, 28
# One colour class per score 0..10 (journal.css: .heat-0 light = none … .heat-10 dark = worst),
# readable with the numbers in titles; classes, not style="", so the CSP needs no 'unsafe-inline'.
HEAT_CLASSES = [f"heat-{score}" for score in range(11)]


@dataclass(frozen=True)
class Cell:
    """One day of the calendar, with everything the template prints precomputed: a `{% url %}`
    per cell made five years of history take half a second to render."""

    day: dt.date
    score: int | None
    href: str
    title: str

    @property
    def heat_class(self) -> str:
        return "heat-none" if self.score is None else HEAT_CLASSES[self.score]


@dataclass(frozen=True)
class MonthRow:
    label: str
    cells: list[Cell | None]  # 31 slots; None where the month has no such day
    mean: float | None


@dataclass(frozen=True)
class DoseMark:
    day: dt.date
    dose_mg: float
    x: float


@dataclass
class HistoryView:
    symptom: Symptom
    start: dt.date
    end: dt.date
    months: list[MonthRow] = field(default_factory=list)
    daily_path: str = ""
    smooth_path: str = ""
    dose_marks: list[DoseMark] = field(default_factory=list)
    rated_days: int = 0
    width: int = CHART_W
    height: int = CHART_H
    y_ticks: list[tuple[int, float]] = field(default_factory=list)
    x_ticks: list[tuple[str, float]] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)
    dose_changes: list[DoseChange] = field(default_factory=list)
    timing_changes: list[TimingMark] = field(default_factory=list)
    palette: list[str] = field(default_factory=lambda: HEAT_CLASSES)


def _path(xs: np.ndarray, ys: np.ndarray) -> str:
    """An SVG path that breaks at missing days instead of drawing across them."""
    parts, pen_down = [], False
    for x, y in zip(xs, ys, strict=True):
        if np.isnan(y):
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
        pen_down = True
    return " ".join(parts)


def history_view(
    patient: User,
    symptom: Symptom,
    end: dt.date,
    days: int,
    changes: Sequence[tolerance.DoseChange] = (),
) -> HistoryView:
    """`changes` are the living app's dose and timing changes (living.services.changes), passed
    in: the journal sits below living in docs/architecture.md's order."""
    first_rating = (
        SymptomRating.objects.filter(symptom=symptom)
        .order_by("entry__day")
        .values_list("entry__day", flat=True)
        .first()
    )
    start = max(end - dt.timedelta(days=days - 1), first_rating or end)
    rows = SymptomRating.objects.filter(
        symptom=symptom, entry__day__gte=start, entry__day__lte=end
    ).values_list("entry__day", "score")
    scores = dict(rows)
    n = (end - start).days + 1
    series = np.full(n, np.nan)
    for day, score in scores.items():
        series[(day - start).days] = score

    view = HistoryView(symptom=symptom, start=start, end=end, rated_days=len(scores))
    view.months = _months(start, end, scores)

    x = PAD + np.arange(n) * (CHART_W - 2 * PAD) / max(n - 1, 1)

    def y(v: np.ndarray) -> np.ndarray:
        return CHART_H - PAD - v * (CHART_H - 2 * PAD) / 10

    view.daily_path = _path(x, y(series))
    view.points = [
        (float(x[(d - start).days]), float(y(np.array([v]))[0])) for d, v in scores.items()
    ]
    view.smooth_path = _path(x, y(rolling_mean(series)))
    view.y_ticks = [(v, float(y(np.array([v]))[0])) for v in (0, 5, 10)]
    view.x_ticks = _x_ticks(start, n, x)
    view.dose_changes = dose_changes(patient, end)
    view.dose_marks = [
        DoseMark(c.day, c.dose_mg, float(x[(c.day - start).days]))
        for c in view.dose_changes
        if c.day >= start
    ]
    view.timing_changes = [
        TimingMark(c.day, c.note, float(x[(c.day - start).days]) if c.day >= start else None)
        for c in changes
        if c.kind == TIMING and c.day <= end
    ]
    return view


def rolling_mean(series: np.ndarray, window: int = 7, min_days: int = 4) -> np.ndarray:
    """Centred mean of the `window` days around each day, where at least `min_days` are rated.

    Works for any length, one day included (np.convolve's "same" mode returns the longer of its
    inputs, which made a history shorter than the window fail).
    """
    valid = ~np.isnan(series)
    half = window // 2
    padded_sum = np.concatenate([np.zeros(half + 1), np.where(valid, series, 0), np.zeros(half)])
    padded_cnt = np.concatenate([np.zeros(half + 1), valid.astype(float), np.zeros(half)])
    sums = np.cumsum(padded_sum)[window:] - np.cumsum(padded_sum)[:-window]
    counts = np.cumsum(padded_cnt)[window:] - np.cumsum(padded_cnt)[:-window]
    return np.where(counts >= min_days, sums / np.maximum(counts, 1), np.nan)


def _x_ticks(start: dt.date, n: int, x: np.ndarray) -> list[tuple[str, float]]:
    """Up to six evenly spaced date labels along the bottom of the chart."""
    count = min(6, n)
    indexes = sorted({round(i * (n - 1) / max(count - 1, 1)) for i in range(count)})
    return [(f"{start + dt.timedelta(days=i):%-d %b}", float(x[i])) for i in indexes]


@dataclass(frozen=True)
class TimingMark:
    """A recorded change of dose time; `x` is None when it falls before the chart."""

    day: dt.date
    note: str  # e.g. "morning dose at 08:00"
    x: float | None


@dataclass(frozen=True)
class DoseChange:
    day: dt.date
    dose_mg: float


def dose_changes(patient: User, end: dt.date) -> list[DoseChange]:
    """The first day of each new LDN amount among the doses logged as taken, up to `end`."""
    doses = (
        DoseLog.objects.filter(
            patient=patient, day__lte=end, status=DoseLog.Status.TAKEN, amount_mg__isnull=False
        )
        .order_by("day")
        .values_list("day", "amount_mg")
    )
    out: list[DoseChange] = []
    for day, amount in doses:
        if not out or out[-1].dose_mg != float(amount):
            out.append(DoseChange(day, float(amount)))
    return out


def _months(start: dt.date, end: dt.date, scores: dict[dt.date, int]) -> list[MonthRow]:
    checkin_prefix = reverse("journal:checkin")
    rows = []
    month = start.replace(day=1)
    while month <= end:
        nxt = (month + dt.timedelta(days=32)).replace(day=1)
        cells: list[Cell | None] = []
        values = []
        for d in range(1, 32):
            try:
                day = month.replace(day=d)
            except ValueError:
                cells.append(None)
                continue
            if day < start or day > end:
                cells.append(None)
                continue
            score = scores.get(day)
            rating = "no rating" if score is None else str(score)
            cells.append(
                Cell(
                    day,
                    score,
                    f"{checkin_prefix}{day.isoformat()}/",
                    f"{day:%a %-d %b %Y}: {rating}",
                )
            )
            if score is not None:
                values.append(score)
        rows.append(MonthRow(f"{month:%b %Y}", cells, float(np.mean(values)) if values else None))
        month = nxt
    rows.reverse()  # newest month first
    return rows
