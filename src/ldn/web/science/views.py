"""Public "How LDN works" pages: the model's curves, the mechanism claims, the validation table."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ldn.web.methods import methods
from ldn.web.science import charts, content


@methods("GET")
def index(request: HttpRequest) -> HttpResponse:
    dose, dose_error = charts.parse_dose(request.GET.get("dose"))
    measured, hypothesised = content.claims()
    context = {
        "dose": dose,
        "dose_error": dose_error,
        "doses": [(f"{d:g}", charts.dose_label(d), d == dose) for d in charts.DOSES],
        "dose_index": charts.DOSES.index(dose),
        "data": charts.dose_data(dose),
        "rows": charts.rows(dose),
        "panels": charts.panel_views(dose),
        "reference_path": charts.reference_path(dose),
        "x_ticks": charts.x_ticks(),
        "payload": charts.payload_script(),
        "finding": charts.key_numbers(charts.DEFAULT_DOSE),
        "comparison": charts.key_numbers(charts.COMPARISON_DOSE),
        "measured": measured,
        "hypothesised": hypothesised,
        "pet_points": content.pet_points(),
        "checks": content.validation_summary(),
        "population": f"{charts.POPULATION:,}",
        "geom": charts.GEOMETRY,
    }
    return render(request, "science/index.html", context)


@methods("GET")
def validation(request: HttpRequest) -> HttpResponse:
    rows = content.validation_rows()
    passed = sum(r.passed for r in rows)
    return render(request, "science/validation.html", {"rows": rows, "passed": passed})
