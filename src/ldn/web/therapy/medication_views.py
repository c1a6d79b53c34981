"""Medication list with screening: every add, edit, stop or removal re-runs the screen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ldn.web import access
from ldn.web.accounts.clock import local_today, patient_zone
from ldn.web.accounts.models import User
from ldn.web.journal.models import Medication
from ldn.web.methods import methods
from ldn.web.therapy import screening
from ldn.web.therapy.forms import AcknowledgeForm, MedicationForm, StopMedicationForm
from ldn.web.therapy.models import Finding, Screening

AREA = "medications"


def _context(patient: User) -> dict[str, object]:
    result = screening.current(patient)
    views = screening.findings(result)
    meds = list(access.own_records(patient, Medication).order_by("stopped_on", "-is_ldn", "name"))
    today = local_today(patient)
    return {
        "patient": patient,
        "active": [m for m in meds if m.stopped_on is None or m.stopped_on > today],
        "stopped": [m for m in meds if m.stopped_on is not None and m.stopped_on <= today],
        "screening": result,
        "findings": views,
        "summary": screening.summary(result, views),
        "ask_contains_rules": screening.ASK_CONTAINS_RULES,
    }


@methods("GET", "POST")
@login_required
def medication_list(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    form = MedicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        med = form.save(commit=False)
        med.patient = patient
        med.save()
        screening.run(patient, Screening.Trigger.MEDICATION_ADDED)
        messages.success(request, f"Added {med.name} and screened your medications again.")
        return redirect("therapy:medications")
    with timezone.override(patient_zone(patient)):
        return render(request, "therapy/medications.html", _context(patient) | {"form": form})


@methods("GET")
@login_required
def patient_medications(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access.patient_or_404(request.user, patient_id, area=AREA)
    with timezone.override(patient_zone(patient)):
        return render(request, "therapy/medications.html", _context(patient) | {"readonly": True})


@methods("POST")
@login_required
def rescreen(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    screening.run(patient, Screening.Trigger.ON_DEMAND)
    messages.success(request, "Screened again with your current medications and conditions.")
    return redirect("therapy:medications")


@methods("GET", "POST")
@login_required
def medication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    med = access.get_owned_or_404(request.user, Medication, area=AREA, write=True, pk=pk)
    form = MedicationForm(request.POST or None, instance=med)
    if request.method == "POST" and form.is_valid():
        form.save()
        screening.run(med.patient, Screening.Trigger.MEDICATION_CHANGED)
        messages.success(request, f"Saved {med.name} and screened your medications again.")
        return redirect("therapy:medications")
    stop = StopMedicationForm(initial={"stopped_on": local_today(med.patient)})
    return render(request, "therapy/medication_edit.html", {"form": form, "med": med, "stop": stop})


@methods("POST")
@login_required
def medication_stop(request: HttpRequest, pk: int) -> HttpResponse:
    med = access.get_owned_or_404(request.user, Medication, area=AREA, write=True, pk=pk)
    form = StopMedicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the date you stopped it.")
        return redirect("therapy:medication_edit", pk=med.pk)
    med.stopped_on = form.cleaned_data["stopped_on"]
    med.save(update_fields=["stopped_on"])
    screening.run(med.patient, Screening.Trigger.MEDICATION_CHANGED)
    messages.success(request, f"Marked {med.name} as stopped on {med.stopped_on:%-d %B %Y}.")
    return redirect("therapy:medications")


@methods("GET", "POST")
@login_required
def medication_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET (or a POST without the confirmation) asks; the confirm page's POST removes."""
    med = access.get_owned_or_404(request.user, Medication, area=AREA, write=True, pk=pk)
    if request.method != "POST" or request.POST.get("confirmed") != "yes":
        return render(request, "therapy/medication_remove.html", {"med": med})
    name, patient = med.name, med.patient
    med.delete()
    screening.run(patient, Screening.Trigger.MEDICATION_CHANGED)
    messages.success(request, f"Removed {name} from your list.")
    return redirect("therapy:medications")


@methods("GET", "POST")
@login_required
def finding_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    finding = access.get_owned_or_404(request.user, Finding, area=AREA, write=True, pk=pk)
    form = AcknowledgeForm(request.POST or None)
    write = request.method == "POST"
    if write and "withdraw" in request.POST:
        screening.withdraw_acknowledgement(finding)
        messages.success(request, "The alert is back at the top of every page.")
        return redirect("therapy:medications")
    if write and form.is_valid():
        screening.acknowledge(finding, note=form.cleaned_data["note"], by=request.user)  # type: ignore[arg-type]
        messages.success(request, "Marked as planned with your clinician; it stays listed here.")
        return redirect("therapy:medications")
    return render(request, "therapy/acknowledge.html", {"form": form, "finding": finding})
