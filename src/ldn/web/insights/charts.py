"""SVG geometry for the insights page: daily series with phase bands, interval strips, adherence bars.

Only coordinates and path strings; templates draw them. Every chart has a text or table twin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

W, H = 720, 190
LEFT, RIGHT, TOP, BOTTOM = 4, 4, 6, 4
DENSE_DAYS = 400  # beyond this the grey line shows weekly means, not single days

PHASE_NAMES = {
    "baseline": "Before LDN (baseline)",
    "run_in": "Last 2 weeks before LDN (not used as reference)",
    "titration": "Titration",
    "delayed_onset": "First weeks on LDN (left out)",
    "stopped": "Stopped",
}
PHASE_COLOURS = {
    "baseline": "#e9edef",
    "run_in": "#f7edc0",
    "titration": "#fbdcc4",
    "delayed_onset": "#efdcef",
    "stopped": "#f6d3d3",
}
DOSE_COLOURS = ("#d3ebe8", "#b5ddd8", "#95cec7", "#79bfb7", "#5fb0a7")


def phase_name(label: str) -> str:
    if label.startswith("dose_"):
        return f"On LDN {label.removeprefix('dose_').replace('mg', ' mg')}"
    return PHASE_NAMES.get(label, label.replace("_", " "))


def phase_colours(labels: tuple[str, ...]) -> dict[str, str]:
    doses = sorted(
        {lab for lab in labels if lab.startswith("dose_")},
        key=lambda lab: float(lab.removeprefix("dose_").removesuffix("mg")),
    )
    colours = dict(PHASE_COLOURS)
    for i, lab in enumerate(doses):
        colours[lab] = DOSE_COLOURS[min(i, len(DOSE_COLOURS) - 1)]
    return colours


@dataclass(frozen=True)
class Band:
    label: str
    name: str
    colour: str
    x: float
    width: float
    start: dt.date
    end: dt.date

    @property
    def rect(self) -> str:
        """x and width attributes, formatted once here rather than by template filters."""
        return f'x="{self.x:.1f}" width="{self.width:.1f}"'


@dataclass(frozen=True)
class Tick:
    x: str
    text: str

    @property
    def left(self) -> str:
        """Position as a percentage of the chart width, for the labels in the unstretched axis SVG."""
        return f"{float(self.x) / W * 100:.2f}%"


@dataclass
class SeriesChart:
    width: int = W
    height: int = H
    bands: list[Band] = field(default_factory=list)
    raw_path: str = ""
    smooth_path: str = ""
    y_ticks: list[tuple[int, str]] = field(default_factory=list)
    y_labels: list[tuple[int, str]] = field(default_factory=list)  # (value, top as % of height)
    x_ticks: list[Tick] = field(default_factory=list)
    raw_label: str = "daily score"
    smooth_label: str = "7-day average"
    plot_left: int = LEFT
    plot_right: int = W - RIGHT
    plot_bottom: int = H - BOTTOM
    plot_top: int = TOP

    @property
    def legend(self) -> list[tuple[str, str]]:
        """Each phase shown once: (name, colour)."""
        return list(dict.fromkeys((b.name, b.colour) for b in self.bands))

    @property
    def band_height(self) -> int:
        return H - TOP - BOTTOM


def _path(xs: NDArray[np.float64], ys: NDArray[np.float64]) -> str:
    """An SVG path that lifts the pen at missing values instead of drawing across them."""
    out, down = [], False
    for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
        if y != y:  # NaN
            down = False
            continue
        out.append(f"{'L' if down else 'M'}{x:.1f} {y:.1f}")
        down = True
    return "".join(out)


def rolling_mean(values: NDArray[np.float64], window: int, minimum: int) -> NDArray[np.float64]:
    """Centred mean over `window` days, NaN where fewer than `minimum` days were scored."""
    seen = ~np.isnan(values)
    kernel = np.ones(window)
    sums = np.convolve(np.where(seen, values, 0.0), kernel, "same")
    counts = np.convolve(seen.astype(float), kernel, "same")
    return np.where(counts >= minimum, sums / np.maximum(counts, 1), np.nan)


def bands_for(
    dates: tuple[dt.date, ...], labels: tuple[str, ...], x: NDArray[np.float64], step: float
) -> list[Band]:
    """Contiguous runs of one phase label as rectangles."""
    colours = phase_colours(labels)
    out: list[Band] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            lab = labels[start]
            left = float(x[start]) - step / 2
            out.append(
                Band(
                    lab,
                    phase_name(lab),
                    colours.get(lab, "#eeeeee"),
                    max(left, LEFT),
                    float(x[i - 1]) - float(x[start]) + step,
                    dates[start],
                    dates[i - 1],
                )
            )
            start = i
    return out


def series_chart(
    dates: tuple[dt.date, ...], values: NDArray[np.float64], labels: tuple[str, ...]
) -> SeriesChart:
    n = len(dates)
    step = (W - LEFT - RIGHT) / max(n, 1)
    x = LEFT + step / 2 + np.arange(n) * step

    def y(v: NDArray[np.float64]) -> NDArray[np.float64]:
        return TOP + (10 - v) * (H - TOP - BOTTOM) / 10

    chart = SeriesChart()
    chart.bands = bands_for(dates, labels, x, step)
    if n > DENSE_DAYS:
        weekly = rolling_mean(values, 7, 3)[3::7]
        chart.raw_path = _path(x[3::7], y(weekly))
        smooth = rolling_mean(values, 29, 12)
        chart.smooth_path = _path(x[::3], y(smooth[::3]))  # ~1 px apart: every 3rd day suffices
        chart.raw_label, chart.smooth_label = "weekly average", "4-week average"
    else:
        chart.raw_path = _path(x, y(values))
        chart.smooth_path = _path(x, y(rolling_mean(values, 7, 4)))
    chart.y_ticks = [(v, f"{y(np.array([float(v)]))[0]:.1f}") for v in (0, 5, 10)]
    chart.y_labels = [(v, f"{float(t) / H * 100:.2f}%") for v, t in chart.y_ticks]
    chart.x_ticks = _x_ticks(dates, x)
    return chart


def _x_ticks(dates: tuple[dt.date, ...], x: NDArray[np.float64]) -> list[Tick]:
    if not dates:
        return []
    span = (dates[-1] - dates[0]).days
    ticks = []
    for i, d in enumerate(dates):
        if d.day != 1:
            continue
        if span > 2 * 365:
            if d.month == 1:
                ticks.append(Tick(f"{x[i]:.1f}", f"{d:%Y}"))
        elif span > 240:
            if d.month in (1, 4, 7, 10):
                ticks.append(Tick(f"{x[i]:.1f}", f"{d:%b %y}"))
        else:
            ticks.append(Tick(f"{x[i]:.1f}", f"{d:%b}"))
    return ticks


@dataclass(frozen=True)
class IntervalStrip:
    """Estimate and 95% interval on a fixed -5..+5 point axis, with the MCID marked."""

    width: int
    zero: float
    mcid_x: float
    lo: float
    hi: float
    est: float
    clipped: bool


def interval_strip(effect: float, lo: float, hi: float, mcid: float) -> IntervalStrip:
    width, pad, span = 320, 12, 5.0

    def sx(v: float) -> float:
        return pad + (min(max(v, -span), span) + span) * (width - 2 * pad) / (2 * span)

    return IntervalStrip(
        width, sx(0), sx(-mcid), sx(lo), sx(hi), sx(effect), lo < -span or hi > span
    )


def adherence_path(shares: list[float], height: int = 80) -> str:
    """All weekly bars as one SVG path (one element, however many years): full height = 100%."""
    if not shares:
        return ""
    left = 30  # room for the "7/7" and "0" labels
    step = (W - left - RIGHT) / len(shares)
    gap = 1.0 if step > 3 else 0.0
    parts = []
    for i, share in enumerate(shares):
        h = share * (height - 6)
        if h <= 0:
            continue
        parts.append(
            f"M{left + i * step:.1f} {height}v{-h:.1f}h{max(step - gap, 0.6):.2f}v{h:.1f}z"
        )
    return "".join(parts)
