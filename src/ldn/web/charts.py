"""Every chart of the web app: the geometry is computed here, the SVG is drawn by the templates
in templates/charts/ (no markup is built in Python).

A builder returns a small dataclass of numbers and path strings, formatted once here so that the
templates only print them. Templates draw with classes, never colours or style="": the colours
live in static/ldn/charts.css as CSS variables, which a dark theme can restyle, and the CSP needs
no 'unsafe-inline'. Every chart has a <title> and a text twin on its page (a table or a list).

The charts: a symptom's days with phase bands and an interval strip (insights), weekly doses
taken (insights), a symptom day by day (history), weekly symptom means and planned dose with
adherence (visit report). The pharmacology curves (ldn.web.science.charts) use `num` and
`line_path` from here so their server-drawn paths equal the ones its script draws.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

Floats = NDArray[np.float64]
CSS_PATH = Path(__file__).resolve().parent / "static" / "ldn" / "charts.css"


# --- shared pieces --------------------------------------------------------------------------


def num(value: float) -> str:
    """A coordinate as short text: rounded to 0.1, whole numbers without ".0" (what JavaScript's
    String() prints for the same rounded number)."""
    r = round(float(value), 1)
    return str(int(r)) if r.is_integer() else str(r)


def line_path(xs: ArrayLike, ys: ArrayLike) -> str:
    """An SVG path through the points that lifts the pen where y is NaN (a day not rated)
    instead of drawing across the gap: "M1,2L3,4M7,1L8,2"."""
    out, down = [], False
    for x, y in zip(
        np.asarray(xs, dtype=float).tolist(), np.asarray(ys, dtype=float).tolist(), strict=True
    ):
        if y != y:  # NaN
            down = False
            continue
        out.append(f"{'L' if down else 'M'}{num(x)},{num(y)}")
        down = True
    return "".join(out)


def rolling_mean(series: ArrayLike, window: int = 7, min_days: int = 4) -> Floats:
    """Centred mean of the `window` days around each day (odd window), NaN where fewer than
    `min_days` of them are rated.

    Works for any length, one day included (np.convolve's "same" mode returns the longer of its
    inputs, which made a history shorter than the window fail).
    """
    values = np.asarray(series, dtype=float)
    valid = ~np.isnan(values)
    half = window // 2
    padded_sum = np.concatenate([np.zeros(half + 1), np.where(valid, values, 0), np.zeros(half)])
    padded_cnt = np.concatenate([np.zeros(half + 1), valid.astype(float), np.zeros(half)])
    sums = np.cumsum(padded_sum)[window:] - np.cumsum(padded_sum)[:-window]
    counts = np.cumsum(padded_cnt)[window:] - np.cumsum(padded_cnt)[:-window]
    return np.where(counts >= min_days, sums / np.maximum(counts, 1), np.nan)


def score_y(top: float, bottom: float) -> Callable[[ArrayLike], Floats]:
    """Score 0-10 to a y coordinate: 10 (worst) at `top`, 0 at `bottom`."""
    return lambda v: bottom - np.asarray(v, dtype=float) * (bottom - top) / 10


@dataclass(frozen=True)
class Tick:
    """A labelled position on an axis; `at` is the coordinate as text."""

    at: str
    text: str


# --- insights: one symptom's days with the phases shaded ------------------------------------

# The series SVG stretches to the page's width (preserveAspectRatio="none", strokes that do not
# scale), so its x unit can be half a day: every day's point then has a whole-number x, which
# keeps the paths short (the insights page draws one per symptom).
SERIES_H, TOP, BOTTOM = 190, 6, 4
SERIES_W, RIGHT = 720, 4  # the width and right margin of the weekly-bars chart below it
DENSE_DAYS = 400  # beyond this the grey line shows weekly means, not single days

PHASE_NAMES = {
    "baseline": "Before LDN (baseline)",
    "run_in": "Last 2 weeks before LDN (not used as reference)",
    "titration": "Titration",
    "delayed_onset": "First weeks on LDN (left out)",
    "stopped": "Stopped",
}
DOSE_SHADES = 5  # charts.css has .phase-dose-1 (lightest) to .phase-dose-5


def phase_name(label: str) -> str:
    if label.startswith("dose_"):
        return f"On LDN {label.removeprefix('dose_').replace('mg', ' mg')}"
    return PHASE_NAMES.get(label, label.replace("_", " "))


def phase_classes(labels: Iterable[str]) -> dict[str, str]:
    """Phase label -> its class in charts.css; settled doses get darker shades as they rise."""
    doses = sorted(
        {lab for lab in labels if lab.startswith("dose_")},
        key=lambda lab: float(lab.removeprefix("dose_").removesuffix("mg")),
    )
    out = {lab: f"phase-{lab.replace('_', '-')}" for lab in PHASE_NAMES}
    for i, lab in enumerate(doses):
        out[lab] = f"phase-dose-{min(i, DOSE_SHADES - 1) + 1}"
    return out


@dataclass(frozen=True)
class Band:
    label: str
    name: str
    css: str
    x: str
    width: str
    start: dt.date
    end: dt.date


@dataclass
class SeriesChart:
    width: int  # two units per day
    height: int = SERIES_H
    bands: list[Band] = field(default_factory=list)
    raw_path: str = ""
    smooth_path: str = ""
    y_ticks: list[tuple[int, str, str]] = field(
        default_factory=list
    )  # value, y, top as % of height
    x_ticks: list[Tick] = field(default_factory=list)
    raw_label: str = "daily score"
    smooth_label: str = "7-day average"
    plot_top: int = TOP
    plot_bottom: int = SERIES_H - BOTTOM
    tick_top: int = SERIES_H - BOTTOM - 6
    band_height: int = SERIES_H - TOP - BOTTOM

    @property
    def legend(self) -> list[tuple[str, str]]:
        """Each phase shown once: (name, class)."""
        return list(dict.fromkeys((b.name, b.css) for b in self.bands))

    @property
    def x_labels(self) -> list[Tick]:
        """The x ticks as percentages of the width, for the labels in the unstretched axis SVG."""
        return [Tick(f"{float(t.at) / self.width * 100:.2f}%", t.text) for t in self.x_ticks]


def _bands(dates: Sequence[dt.date], labels: Sequence[str], x: Floats, step: float) -> list[Band]:
    """Contiguous runs of one phase label as rectangles."""
    classes = phase_classes(labels)
    out: list[Band] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            lab = labels[start]
            left = float(x[start]) - step / 2
            width = float(x[i - 1]) - float(x[start]) + step
            out.append(
                Band(
                    lab,
                    phase_name(lab),
                    classes.get(lab, "phase-other"),
                    num(left),
                    num(width),
                    dates[start],
                    dates[i - 1],
                )
            )
            start = i
    return out


def series_chart(dates: Sequence[dt.date], values: Floats, labels: Sequence[str]) -> SeriesChart:
    n = len(dates)
    x = 1.0 + 2.0 * np.arange(n)  # day i spans [2i, 2i + 2]
    y = score_y(TOP, SERIES_H - BOTTOM)
    chart = SeriesChart(width=2 * max(n, 1))
    chart.bands = _bands(dates, labels, x, 2.0)
    if n > DENSE_DAYS:
        weekly = rolling_mean(values, 7, 3)[3::7]
        chart.raw_path = line_path(x[3::7], y(weekly))
        smooth = rolling_mean(values, 29, 12)
        chart.smooth_path = line_path(x[::3], y(smooth[::3]))  # ~1 px apart: every 3rd day
        chart.raw_label, chart.smooth_label = "weekly average", "4-week average"
    else:
        chart.raw_path = line_path(x, y(values))
        chart.smooth_path = line_path(x, y(rolling_mean(values, 7, 4)))
    for v in (0, 5, 10):
        at = float(y(v))
        chart.y_ticks.append((v, num(at), f"{at / SERIES_H * 100:.2f}%"))
    chart.x_ticks = _month_ticks(dates, x)
    return chart


def _month_ticks(dates: Sequence[dt.date], x: Floats) -> list[Tick]:
    """Month starts: every month within 8 months, quarters within 2 years, else years."""
    if not dates:
        return []
    span = (dates[-1] - dates[0]).days
    ticks = []
    for i, d in enumerate(dates):
        if d.day != 1:
            continue
        if span > 2 * 365:
            if d.month == 1:
                ticks.append(Tick(num(x[i]), f"{d:%Y}"))
        elif span > 240:
            if d.month in (1, 4, 7, 10):
                ticks.append(Tick(num(x[i]), f"{d:%b %y}"))
        else:
            ticks.append(Tick(num(x[i]), f"{d:%b}"))
    return ticks


@dataclass(frozen=True)
class IntervalStrip:
    """Estimate and 95% interval on a fixed -5..+5 point axis, with the MCID marked."""

    width: int
    zero: str
    mcid_x: str
    lo: str
    hi: str
    est: str
    clipped: bool
    right: int


def interval_strip(effect: float, lo: float, hi: float, mcid: float) -> IntervalStrip:
    width, pad, span = 320, 12, 5.0

    def sx(v: float) -> str:
        return num(pad + (min(max(v, -span), span) + span) * (width - 2 * pad) / (2 * span))

    clipped = lo < -span or hi > span
    return IntervalStrip(width, sx(0), sx(-mcid), sx(lo), sx(hi), sx(effect), clipped, width - pad)


# --- insights: doses taken per week -----------------------------------------------------------

BARS_H, BARS_LEFT = 80, 30  # room left of the bars for the "7/7" and "0" labels


@dataclass(frozen=True)
class Bars:
    width: int
    height: int
    path: str
    left: int = BARS_LEFT
    right: int = SERIES_W - RIGHT


def adherence_bars(shares: Sequence[float]) -> Bars:
    """All weekly bars as one SVG path (one element, however many years): full height = 100%."""
    parts = []
    if shares:
        step = (SERIES_W - BARS_LEFT - RIGHT) / len(shares)
        gap = 1.0 if step > 3 else 0.0
        for i, share in enumerate(shares):
            h = share * (BARS_H - 6)
            if h > 0:
                w = max(step - gap, 0.6)
                parts.append(f"M{num(BARS_LEFT + i * step)},{BARS_H}v{num(-h)}h{num(w)}v{num(h)}z")
    return Bars(SERIES_W, BARS_H, "".join(parts))


# --- history: one symptom day by day ----------------------------------------------------------

HISTORY_W, HISTORY_H, HISTORY_PAD = 720, 220, 28


@dataclass(frozen=True)
class Mark:
    """A vertical line at a day (a dose change, a dose-time change) with its label."""

    x: str
    label: str


@dataclass
class HistoryChart:
    width: int = HISTORY_W
    height: int = HISTORY_H
    daily_path: str = ""
    smooth_path: str = ""
    points: str = ""  # every rated day as a dot: one path of zero-length round-capped segments
    y_ticks: list[tuple[int, str, str]] = field(default_factory=list)  # value, y, label y
    x_ticks: list[Tick] = field(default_factory=list)
    dose_marks: list[Mark] = field(default_factory=list)
    timing_marks: list[Mark] = field(default_factory=list)
    plot_left: int = HISTORY_PAD
    plot_right: int = HISTORY_W - HISTORY_PAD
    mark_top: int = 18
    mark_bottom: int = HISTORY_H - HISTORY_PAD
    label_y: int = HISTORY_H - 8


def history_chart(
    start: dt.date,
    series: Floats,
    dose_changes: Iterable[tuple[dt.date, str]],
    timing_changes: Iterable[dt.date],
) -> HistoryChart:
    """`series` holds a score per day from `start` (NaN where not rated); dose changes are
    (day, label) and timing changes days, both drawn where they fall inside the chart."""
    n = len(series)
    x = HISTORY_PAD + np.arange(n) * (HISTORY_W - 2 * HISTORY_PAD) / max(n - 1, 1)
    y = score_y(HISTORY_PAD, HISTORY_H - HISTORY_PAD)
    ys = y(series)
    chart = HistoryChart(daily_path=line_path(x, ys))
    rated = ~np.isnan(series)
    chart.points = "".join(
        f"M{num(px)},{num(py)}h0" for px, py in zip(x[rated], ys[rated], strict=True)
    )
    chart.smooth_path = line_path(x, y(rolling_mean(series)))
    chart.y_ticks = [(v, num(y(v)), num(y(v) + 4)) for v in (0, 5, 10)]
    count = min(6, n)
    indexes = sorted({round(i * (n - 1) / max(count - 1, 1)) for i in range(count)})
    chart.x_ticks = [Tick(num(x[i]), f"{start + dt.timedelta(days=i):%-d %b}") for i in indexes]

    def x_of(day: dt.date) -> str | None:
        i = (day - start).days
        return num(x[i]) if 0 <= i < n else None

    chart.dose_marks = [Mark(at, label) for day, label in dose_changes if (at := x_of(day))]
    chart.timing_marks = [Mark(at, "") for day in timing_changes if (at := x_of(day))]
    return chart


# --- visit report: weekly symptom means, planned dose over adherence --------------------------

REPORT_W, REPORT_H = 640, 150
R_LEFT, R_RIGHT, R_TOP, R_BOTTOM = 34, 10, 10, 22
SERIES_CLASSES = 6  # charts.css has .series-1 to .series-6


@dataclass(frozen=True)
class Line:
    css: str
    path: str
    dots: str  # weeks with no neighbour: a lone point drawn as a dot


@dataclass
class ReportChart:
    width: int = REPORT_W
    height: int = REPORT_H
    left: int = R_LEFT
    right: int = REPORT_W - R_RIGHT
    top: int = R_TOP
    bottom: int = REPORT_H - R_BOTTOM
    label_x: int = R_LEFT - 6
    label_y: int = REPORT_H - 6
    grid: list[tuple[str, str, str]] = field(default_factory=list)  # label, y, label y
    x_ticks: list[Tick] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    bars: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # x, y, w, h, class
    dose_path: str = ""


def series_class(i: int) -> str:
    return f"series-{i % SERIES_CLASSES + 1}"


def _report_y(v: float, top_value: float) -> float:
    return R_TOP + (REPORT_H - R_TOP - R_BOTTOM) * (1 - v / top_value)


def weekly_lines(
    series: Sequence[Sequence[tuple[dt.date, float | None]]], start: dt.date, end: dt.date
) -> ReportChart:
    """Weekly mean score (0-10) per symptom, a line each; gaps where a week has no rating."""
    span = max((end - start).days, 1)

    def x_of(day: dt.date) -> float:
        return R_LEFT + (REPORT_W - R_LEFT - R_RIGHT) * ((day - start).days / span)

    chart = ReportChart()
    chart.grid = [(str(v), num(_report_y(v, 10)), num(_report_y(v, 10) + 3)) for v in (0, 5, 10)]
    day = dt.date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            chart.x_ticks.append(Tick(num(x_of(day)), f"{day:%b}"))
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    for i, weeks in enumerate(series):
        xs = [x_of(min(max(w + dt.timedelta(days=3), start), end)) for w, _ in weeks]
        ys = [np.nan if v is None else _report_y(v, 10) for _, v in weeks]
        path = line_path(xs, ys)
        # A point with no neighbour on either side draws nothing as a line: give it a dot.
        lone = [
            f"M{num(xs[j])},{num(ys[j])}h0"
            for j in range(len(ys))
            if ys[j] == ys[j]
            and (j == 0 or ys[j - 1] != ys[j - 1])
            and (j == len(ys) - 1 or ys[j + 1] != ys[j + 1])
        ]
        chart.lines.append(Line(series_class(i), path, "".join(lone)))
    return chart


def dose_weeks(
    weeks: Sequence[tuple[dt.date, float | None, float | None]], low_pct: float
) -> ReportChart:
    """Planned dose per week (a step line, mg on the left axis) over bars of the share of due
    doses taken (0-100%); bars below `low_pct` get the warning class. Weeks are
    (start, dose in mg or None, % taken or None)."""
    top = max([mg or 0 for _, mg, _ in weeks] + [4.5])
    step = (REPORT_W - R_LEFT - R_RIGHT) / max(len(weeks), 1)
    chart = ReportChart()
    chart.grid = [
        (f"{v:g}", num(_report_y(v, top)), num(_report_y(v, top) + 3)) for v in (0, top / 2, top)
    ]
    plot_h = REPORT_H - R_TOP - R_BOTTOM
    steps = []
    for i, (start, mg, pct) in enumerate(weeks):
        x = R_LEFT + i * step
        if pct is not None:
            h = plot_h * pct / 100
            css = "bar-low" if pct < low_pct else "bar"
            chart.bars.append(
                (num(x + 1), num(REPORT_H - R_BOTTOM - h), num(max(step - 2, 1)), num(h), css)
            )
        if mg is not None:
            y = num(_report_y(mg, top))
            steps.append(f"{'L' if steps else 'M'}{num(x)},{y}L{num(x + step)},{y}")
        if i % 4 == 0:
            chart.x_ticks.append(Tick(num(x + 1), f"{start:%d %b}"))
    chart.dose_path = "".join(steps)
    return chart


@cache
def print_css() -> str:
    """charts.css for WeasyPrint's SVG renderer, which reads only a <style> inside the SVG and
    knows no CSS variables: the rules with every var() replaced by its value (the PDF report
    puts this in its charts; the served pages link charts.css and carry no <style>)."""
    text = re.sub(r"/\*.*?\*/", "", CSS_PATH.read_text(encoding="utf-8"), flags=re.S)
    root = re.search(r":root\s*{([^}]*)}", text)
    values = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", root.group(1) if root else ""))
    rules = re.sub(r":root\s*{[^}]*}", "", text)
    rules = re.sub(r"[^{}]*meter[^{}]*{[^}]*}", "", rules)  # HTML only
    rules = re.sub(r"var\((--[\w-]+)\)", lambda m: values[m.group(1)].strip(), rules)
    return " ".join(rules.split())
