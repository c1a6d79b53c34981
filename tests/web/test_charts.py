"""The one chart module: its geometry, and that every chart is drawn by a template with classes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np

from ldn.web import charts

WEB = Path(charts.__file__).resolve().parent
NAN = float("nan")


def test_a_coordinate_is_rounded_to_a_tenth_without_a_trailing_zero():
    assert [charts.num(v) for v in (4.0, 180.04, 12.36, -0.04, 0.3)] == [
        "4",
        "180",
        "12.4",
        "0",
        "0.3",
    ]


def test_the_path_lifts_the_pen_at_a_missing_day_instead_of_drawing_across_it():
    path = charts.line_path([0, 1, 2, 3, 4], [5.0, NAN, 2.0, 3.25, NAN])
    assert path == "M0,5M2,2L3,3.2"


def test_the_path_of_no_rated_day_is_empty():
    assert charts.line_path([0, 1], [NAN, NAN]) == ""


def test_the_rolling_mean_is_centred_on_each_day():
    series = np.arange(9, dtype=float)
    # Days 3..5 see the full week around them: their mean is the day itself.
    np.testing.assert_allclose(charts.rolling_mean(series, 7, 7)[3:6], [3.0, 4.0, 5.0])
    assert np.isnan(charts.rolling_mean(series, 7, 7)[:3]).all()


def test_a_settled_dose_gets_a_darker_shade_the_higher_it_is():
    classes = charts.phase_classes(["baseline", "dose_4.5mg", "dose_1.5mg", "run_in"])
    assert classes["dose_1.5mg"] == "phase-dose-1" and classes["dose_4.5mg"] == "phase-dose-2"
    assert classes["baseline"] == "phase-baseline" and classes["run_in"] == "phase-run-in"


def test_phase_bands_cover_each_run_of_one_phase_once():
    dates = tuple(dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(10))
    labels = ("baseline",) * 4 + ("dose_4.5mg",) * 6
    chart = charts.series_chart(dates, np.full(10, 5.0), labels)
    assert [(b.name, b.start.day, b.end.day, b.css) for b in chart.bands] == [
        ("Before LDN (baseline)", 1, 4, "phase-baseline"),
        ("On LDN 4.5 mg", 5, 10, "phase-dose-1"),
    ]
    # Two units a day: the second band starts after four days and spans six.
    assert chart.width == 20
    assert [(b.x, b.width) for b in chart.bands] == [("0", "8"), ("8", "12")]


def test_history_marks_only_the_dose_changes_inside_the_chart():
    start = dt.date(2026, 3, 1)
    chart = charts.history_chart(
        start,
        np.array([4.0, NAN, 5.0]),
        [(dt.date(2026, 2, 1), "1.5 mg"), (dt.date(2026, 3, 3), "3 mg")],
        [dt.date(2026, 3, 2), dt.date(2026, 4, 1)],
    )
    assert [(m.x, m.label) for m in chart.dose_marks] == [("692", "3 mg")]
    assert [m.x for m in chart.timing_marks] == ["360"]
    # Rated days only, as zero-length round-capped strokes: 4 -> 192 - 4 * 16.4, 5 -> 110.
    assert chart.points == "M28,126.4h0M692,110h0"


def test_a_report_week_with_no_neighbour_is_drawn_as_a_dot():
    start, end = dt.date(2026, 1, 5), dt.date(2026, 2, 1)
    weeks = [(start + dt.timedelta(weeks=i), v) for i, v in enumerate([3.0, None, 6.0, 7.0])]
    chart = charts.weekly_lines([weeks], start, end)
    (line,) = chart.lines
    assert line.path.count("M") == 2 and line.dots.count("M") == 1
    assert line.css == "series-1"


def test_a_week_below_the_adherence_threshold_gets_the_warning_class():
    monday = dt.date(2026, 1, 5)
    chart = charts.dose_weeks([(monday, 1.5, 50.0), (monday + dt.timedelta(7), 3.0, 100.0)], 80.0)
    assert [bar[-1] for bar in chart.bars] == ["bar-low", "bar"]
    assert chart.dose_path.count("M") == 1 and chart.dose_path.count("L") == 3


def _python_files() -> list[Path]:
    return [p for p in WEB.rglob("*.py") if "migrations" not in p.parts]


def test_no_python_module_of_the_web_app_writes_chart_markup():
    """Charts are drawn by templates (the QR code's SVG comes whole from the qrcode package)."""
    tag = re.compile(r"<(svg|path|polyline|rect|circle|line|text)[\s>]")
    found = [
        p.relative_to(WEB).as_posix()
        for p in _python_files()
        if tag.search(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_template_colours_a_chart_inline():
    """Colours are classes (static/ldn/charts.css), so a dark theme can restyle every chart."""
    colour = re.compile(r'\s(fill|stroke)="#')
    found = [
        p.relative_to(WEB).as_posix()
        for p in WEB.rglob("*.html")
        if colour.search(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_chart_template_is_drawn_through_the_chart_module():
    uses = {
        "phase_series.html": "insights/_symptom_card.html",
        "interval_strip.html": "insights/_symptom_card.html",
        "adherence_bars.html": "insights/_adherence.html",
        "history_line.html": "journal/history.html",
        "report_lines.html": "clinic/_report_body.html",
        "report_dose.html": "clinic/_report_body.html",
    }
    templates = {p.name for p in (WEB / "templates" / "charts").glob("*.html")}
    assert templates == set(uses)
    for name, user in uses.items():
        (page,) = [p for p in WEB.rglob(user) if p.is_file()]
        assert f'"charts/{name}"' in page.read_text(encoding="utf-8")


def test_the_pdf_charts_get_the_chart_colours_without_css_variables():
    """WeasyPrint's SVG renderer reads only a <style> inside the SVG and knows no var()."""
    css = charts.print_css()
    assert "var(" not in css and ":root" not in css
    assert ".report-chart .bar-low { fill: #f0b7a4; }" in css
