"""The visit report for a date range: the same content as a web page and as a PDF."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from ldn.web import access
from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import User
from ldn.web.clinic import fhir_export
from ldn.web.clinic import report as visit_report
from ldn.web.clinic.forms import ReportRangeForm
from ldn.web.methods import methods

DEFAULT_DAYS = 182


def _range(request: HttpRequest, patient: User) -> tuple[ReportRangeForm, dt.date, dt.date]:
    today = local_today(patient)
    initial = {"start": today - dt.timedelta(days=DEFAULT_DAYS), "end": today}
    form = ReportRangeForm(request.GET if "start" in request.GET else None, initial=initial)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, initial["start"], initial["end"]


def _build(
    request: HttpRequest, patient_id: int
) -> tuple[visit_report.VisitReport, ReportRangeForm]:
    def what(patient: User, areas: set[str]) -> str:
        _, start, end = _range(request, patient)
        return f"visit report {start} to {end}"

    patient, areas = access.shared_patient_or_404(
        request.user, patient_id, area="report", action="report", what=what
    )
    form, start, end = _range(request, patient)
    reader = request.user if isinstance(request.user, User) else None
    return visit_report.build(patient, start, end, areas=areas, reader=reader), form


@methods("GET")
@login_required
def my_report(request: HttpRequest) -> HttpResponse:
    return redirect("clinic:report", patient_id=request.user.pk)


@methods("GET")
@login_required
def report_page(request: HttpRequest, patient_id: int) -> HttpResponse:
    report, form = _build(request, patient_id)
    return render(request, "clinic/report_page.html", {"report": report, "form": form})


@methods("GET")
@login_required
def report_pdf(request: HttpRequest, patient_id: int) -> HttpResponse:
    report, _ = _build(request, patient_id)
    pdf, _ = visit_report.render_pdf(report)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


@methods("GET")
@login_required
def fhir_download(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The record as a FHIR R4 Bundle: all of it for the patient, the shared areas for a
    clinician (the same areas as the report)."""
    patient, areas = access.shared_patient_or_404(
        request.user, patient_id, area="export", action="report", what=lambda p, a: "FHIR export"
    )
    body = fhir_export.bundle_json(patient, areas)
    response = HttpResponse(body, content_type="application/fhir+json")
    name = slugify(patient.get_full_name() or patient.get_username()) or f"patient-{patient.pk}"
    stamp = local_today(patient).isoformat()
    response["Content-Disposition"] = f'attachment; filename="ldn-fhir-{name}-{stamp}.json"'
    return response
