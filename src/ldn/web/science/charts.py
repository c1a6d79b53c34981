"""Curves for the "How LDN works" chart: one population simulation per slider dose, in SVG units.

Coordinates are written with ldn.web.charts (`num`, `line_path`), like every other chart.

The server-rendered SVG (no JavaScript) and the JSON the page script redraws from are built
from the same numbers here, so both draw identical paths. Everything is cached per process:
the simulations are deterministic (fixed seed) and the data files do not change at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Any

import numpy as np
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ldn.pharmacology import SimulationResult, simulate
from ldn.web.charts import line_path, num

DOSES: tuple[float, ...] = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 50.0)
DEFAULT_DOSE = 4.5
COMPARISON_DOSE = 50.0
POPULATION = 2_000
SEED = 0
STEP_MIN = 10.0
BEDTIME = time(22, 0)
NIGHT_H = 9.0  # 22:00 to 07:00
PER_HOUR = int(60 / STEP_MIN)
DRAW_EVERY = 2  # the chart draws every 20 min (the table and the figures use every 10 min)

# SVG geometry (user units). Narrow on purpose so the text stays readable on a 375 px phone.
WIDTH = 360
LEFT, RIGHT, TOP = 40.0, 10.0, 4.0
PLOT_W = WIDTH - LEFT - RIGHT
PANEL_H, PANEL_HEAD = 70.0, 32.0
PANELS = (
    ("naltrexone", "Naltrexone in blood, ng/mL"),
    ("naltrexol", "6β-naltrexol in blood, ng/mL"),
    ("mu_occupancy", "μ-opioid receptors occupied, %"),
)
HEIGHT = TOP + len(PANELS) * (PANEL_HEAD + PANEL_H) + 24.0


def dose_label(dose: float) -> str:
    return f"{dose:g} mg"


def parse_dose(raw: str | None) -> tuple[float, str]:
    """The slider dose asked for in ?dose=, or the default and a message saying why not."""
    if raw is None or raw.strip() == "":
        return DEFAULT_DOSE, ""
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if value in DOSES:
        return value, ""
    shown = raw.strip()[:20]
    return DEFAULT_DOSE, (
        f"There is no curve for a dose of “{shown}”. The chart has 0.5 to 4.5 mg in 0.5 mg "
        f"steps, and 50 mg for comparison; it shows {dose_label(DEFAULT_DOSE)} instead."
    )


@cache
def curves(dose: float) -> SimulationResult:
    """Single bedtime dose, 24 h, a fixed population of virtual people (reproducible)."""
    return simulate(
        dose, days=1, doses=1, at=BEDTIME, population=POPULATION, seed=SEED, step_min=STEP_MIN
    )


def x_of(t_h: float) -> float:
    return _compact(LEFT + PLOT_W * t_h / 24.0)


def panel_top(i: int) -> float:
    return TOP + i * (PANEL_HEAD + PANEL_H) + PANEL_HEAD


def _ys(values: Sequence[float] | np.ndarray, i: int, top_value: float) -> list[float]:
    bottom = panel_top(i) + PANEL_H
    frac = np.clip(np.asarray(values, dtype=float)[::DRAW_EVERY] / top_value, 0.0, 1.0)
    return [_compact(bottom - PANEL_H * f) for f in frac]


def _compact(v: float) -> float:
    """Rounded to 0.1, and whole numbers as ints so the JSON carries no ".0"."""
    r = round(float(v), 1)
    return int(r) if r.is_integer() else r


def band_path(xs: Sequence[float], lo: Sequence[float], hi: Sequence[float]) -> str:
    top = "L".join(f"{num(x)},{num(y)}" for x, y in zip(xs, hi, strict=True))
    back = "L".join(f"{num(x)},{num(y)}" for x, y in zip(xs[::-1], lo[::-1], strict=True))
    return f"M{top}L{back}Z"


def nice_ceiling(value: float) -> float:
    """Smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k at or above value (axis top)."""
    exp = math.floor(math.log10(value))
    for step in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        top = step * 10.0**exp
        if top >= value * (1 - 1e-12):
            return float(f"{top:.6g}")
    return 10.0 ** (exp + 1)


def axis_top(dose: float, key: str) -> float:
    """Shared axis for all LDN doses (so the slider shows growth); 50 mg gets its own."""
    if key == "mu_occupancy":
        return 1.0
    ref = COMPARISON_DOSE if dose > max(d for d in DOSES if d != COMPARISON_DOSE) else 4.5
    return nice_ceiling(float(curves(ref).series[key].p95.max()))


def fmt_conc(v: float) -> str:
    if v <= 0.0:
        return "0"
    if v < 0.001:
        return "<0.001"
    return f"{v:.3g}"


def pct(v: float) -> str:
    return f"{100.0 * v:.0f}%"


def _clock(t_h: float) -> str:
    minutes = int(round((BEDTIME.hour * 60 + BEDTIME.minute + t_h * 60.0) % (24 * 60)))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Row:
    """One hour of the table alternative, formatted for reading."""

    clock: str
    after: str
    naltrexone: str
    naltrexol: str
    occupancy: str
    band: str

    def values(self) -> list[str]:
        """The texts that change with the dose, in table order."""
        return [self.naltrexone, self.naltrexol, self.occupancy, self.band]


def rows(dose: float) -> list[Row]:
    r = curves(dose)
    s = r.series
    out = []
    for h in range(25):
        i = h * PER_HOUR
        occ = s["mu_occupancy"]
        out.append(
            Row(
                clock=_clock(float(r.t_h[i])),
                after=f"+{h} h",
                naltrexone=fmt_conc(float(s["naltrexone"].median[i])),
                naltrexol=fmt_conc(float(s["naltrexol"].median[i])),
                occupancy=pct(float(occ.median[i])),
                band=f"{pct(float(occ.p5[i]))[:-1]}–{pct(float(occ.p95[i]))}",
            )
        )
    return out


@cache
def key_numbers(dose: float) -> dict[str, str]:
    """The figures the page quotes for a dose, formatted, all from the simulation."""
    r = curves(dose)
    occ = r.series["mu_occupancy"]
    nx = r.series["naltrexone"].median
    peak, above = r.summary["mu_occupancy_peak"], r.summary["hours_mu_occupancy_above_50pct"]
    wake, next_dose = int(NIGHT_H * PER_HOUR), 24 * PER_HOUR
    i_peak = int(np.argmax(nx))
    below = np.flatnonzero(nx[i_peak:] < 0.1 * nx[i_peak])

    def band(i: int) -> str:
        return f"{pct(float(occ.p5[i]))[:-1]}–{pct(float(occ.p95[i]))}"

    return {
        "dose": dose_label(dose),
        "nx_peak": fmt_conc(float(nx[i_peak])),
        "nx_peak_at": _clock(float(r.t_h[i_peak])),
        "nx_faded_at": _clock(float(r.t_h[i_peak + below[0]])) if below.size else "",
        "occ_peak": pct(peak.median),
        "occ_peak_band": f"{pct(peak.p5)[:-1]}–{pct(peak.p95)}",
        "occ_wake": pct(float(occ.median[wake])),
        "occ_wake_band": band(wake),
        "occ_next": pct(float(occ.median[next_dose])),
        "occ_next_band": band(next_dose),
        "hours_50": f"{above.median:.0f}",
        "hours_50_band": f"{above.p5:.0f}–{above.p95:.0f}",
    }


def summary(dose: float) -> list[str]:
    """Three sentences on what the curves say for this dose."""
    k = key_numbers(dose)
    faded = f"by {k['nx_faded_at']}" if k["nx_faded_at"] else "within the day"
    return [
        f"Naltrexone peaks at {k['nx_peak']} ng/mL around {k['nx_peak_at']} and falls below "
        f"a tenth of that {faded}.",
        f"Receptor occupancy peaks at {k['occ_peak']} (5–95% of people: {k['occ_peak_band']}); "
        f"at 07:00 it is {k['occ_wake']} ({k['occ_wake_band']}), and at the next bedtime "
        f"{k['occ_next']} ({k['occ_next_band']}).",
        f"Hours above 50% occupancy: {k['hours_50']} (5–95% of people: {k['hours_50_band']}).",
    ]


GEOMETRY = {
    "width": WIDTH,
    "height": HEIGHT,
    "left": LEFT,
    "right": LEFT + PLOT_W,
    "night_x": LEFT,
    "night_w": round(PLOT_W * NIGHT_H / 24.0, 1),
    "night_top": TOP + PANEL_HEAD - 4,
    "night_h": HEIGHT - 24.0 - (TOP + PANEL_HEAD - 4),
    "axis_y": HEIGHT - 5.0,
    "axis_bottom": HEIGHT - 24.0,
    "tick_x": LEFT - 4.0,
}


@dataclass(frozen=True)
class PanelView:
    """One panel for the template: titles, tick labels and the paths at the chosen dose."""

    key: str
    title: str
    title_y: float
    ticks: list[tuple[float, float, str]]
    band: str
    median: str


def _tick_labels(dose: float, key: str) -> list[str]:
    top = axis_top(dose, key)
    if key == "mu_occupancy":
        return ["0%", "50%", "100%"]
    return ["0", f"{top / 2:g}", f"{top:g}"]


@cache
def xs() -> list[float]:
    return [x_of(float(t)) for t in curves(DEFAULT_DOSE).t_h[::DRAW_EVERY]]


@cache
def dose_data(dose: float) -> dict[str, Any]:
    """Everything the script needs to redraw the chart and the table for one dose."""
    r = curves(dose)
    panels = []
    for i, (key, _title) in enumerate(PANELS):
        band = r.series[key]
        top = axis_top(dose, key)
        panels.append(
            {
                "ticks": _tick_labels(dose, key),
                "median": _ys(band.median, i, top),
                "lo": _ys(band.p5, i, top),
                "hi": _ys(band.p95, i, top),
            }
        )
    ref: list[float] = []
    if dose != COMPARISON_DOSE:
        ref = _ys(curves(COMPARISON_DOSE).series["mu_occupancy"].median, len(PANELS) - 1, 1.0)
    return {
        "dose": dose,
        "label": dose_label(dose),
        "title": (
            "Naltrexone, 6β-naltrexol and μ-opioid receptor occupancy over the 24 hours "
            f"after {dose_label(dose)} at 22:00"
        ),
        "panels": panels,
        "ref": ref,
        "rescaled": dose == COMPARISON_DOSE,
        "rows": [row.values() for row in rows(dose)],
        "summary": summary(dose),
    }


def panel_views(dose: float) -> list[PanelView]:
    data = dose_data(dose)
    grid = xs()
    views = []
    for i, (key, title) in enumerate(PANELS):
        p = data["panels"][i]
        top = panel_top(i)
        views.append(
            PanelView(
                key=key,
                title=title,
                title_y=top - 11.0,
                ticks=[
                    (y, y + 4.0, label)
                    for y, label in (
                        (round(top + PANEL_H * (1 - k / 2), 1), label)
                        for k, label in enumerate(p["ticks"])
                    )
                ],
                band=band_path(grid, p["lo"], p["hi"]),
                median=line_path(grid, p["median"]),
            )
        )
    return views


def reference_path(dose: float) -> str:
    ref = dose_data(dose)["ref"]
    return line_path(xs(), ref) if ref else ""


def x_ticks() -> list[tuple[float, str, str]]:
    """(x, label, text-anchor) every 4 h from the dose; none at 24 h, where it would crowd 18:00."""
    return [(x_of(h), _clock(h), "middle") for h in range(0, 24, 4)]


@cache
def payload_script() -> SafeString:
    """All slider doses as one escaped <script type="application/json"> element."""
    data = {"xs": xs(), "doses": [dose_data(d) for d in DOSES]}
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    # The same escapes as django.utils.html.json_script, without its spaces.
    safe = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return format_html(
        '<script id="science-curves" type="application/json">{}</script>', mark_safe(safe)
    )
