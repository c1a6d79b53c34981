"""One symptom's history: a calendar heat-map, a day-by-day chart (drawn by ldn.web.charts) and
the dose changes as text.

Two queries whatever the range (ratings, doses), and the recorded dose-time changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

import numpy as np
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ldn.dosing import tolerance
from ldn.dosing.tolerance import TIMING
from ldn.web import charts
from ldn.web.accounts.models import User
from ldn.web.journal.models import DoseLog, Symptom, SymptomRating

RANGES = {"3m": 91, "1y": 365, "all": 365 * 50}
# One colour class per score 0..10 (journal.css: .heat-0 light = none … .heat-10 dark = worst),
# readable with the numbers in titles; classes, not style="", so the CSP needs no 'unsafe-inline'.
HEAT_CLASSES = [f"heat-{score}" for score in range(11)]
CELL_HTML = '<a class="d {}" href="{}" title="{}"><span class="visually-hidden">{}</span></a>'
EMPTY_CELL = '<span class="d empty"></span>'


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

    @property
    def cells_html(self) -> SafeString:
        """The row's 31 slots as the calendar shows them, escaped as the template escapes: a
        year's ~400 cells through the template engine took a third of the page's time."""
        return mark_safe(  # noqa: S308 - every value is escaped (html.escape, as Django's escape)
            "".join(
                EMPTY_CELL
                if c is None
                else CELL_HTML.format(
                    c.heat_class, escape(c.href), escape(c.title), escape(c.title)
                )
                for c in self.cells
            )
        )


@dataclass
class HistoryView:
    symptom: Symptom
    start: dt.date
    end: dt.date
    chart: charts.HistoryChart
    months: list[MonthRow] = field(default_factory=list)
    rated_days: int = 0
    dose_changes: list[DoseChange] = field(default_factory=list)
    timing_changes: list[TimingChange] = field(default_factory=list)
    palette: list[str] = field(default_factory=lambda: HEAT_CLASSES)


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

    doses = dose_changes(patient, end)
    timing = [TimingChange(c.day, c.note) for c in changes if c.kind == TIMING and c.day <= end]
    chart = charts.history_chart(
        start,
        series,
        [(c.day, f"{round(c.dose_mg, 3):g} mg") for c in doses],
        [t.day for t in timing],
    )
    return HistoryView(
        symptom,
        start,
        end,
        chart,
        months=_months(start, end, scores),
        rated_days=len(scores),
        dose_changes=doses,
        timing_changes=timing,
    )


@dataclass(frozen=True)
class TimingChange:
    """A recorded change of dose time."""

    day: dt.date
    note: str  # e.g. "morning dose at 08:00"


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
