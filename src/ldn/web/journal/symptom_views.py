"""The symptom manager: the patient's own list of what the check-in asks about."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ldn.journal import RATING_ANCHORS
from ldn.web import access
from ldn.web.journal import symptoms
from ldn.web.journal.forms import SymptomNameForm
from ldn.web.journal.models import Symptom
from ldn.web.journal.views import AREA
from ldn.web.methods import methods


@methods("GET", "POST")
@login_required
def symptom_list(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    form = SymptomNameForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        try:
            symptom = symptoms.add(patient, form.cleaned_data["name"])
        except symptoms.SymptomError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Added “{symptom.name}”: the check-in now asks about it.")
            return redirect("journal:symptoms")
    own = list(access.own_records(patient, Symptom))
    context = {
        "form": form,
        "active": [s for s in own if s.active],
        "archived": [s for s in own if not s.active],
        "anchors": RATING_ANCHORS,
        "max_active": symptoms.MAX_ACTIVE,
    }
    return render(request, "journal/symptoms.html", context)


@methods("POST")
@login_required
def symptom_rename(request: HttpRequest, pk: int) -> HttpResponse:
    symptom = access.get_owned_or_404(request.user, Symptom, area=AREA, write=True, pk=pk)
    form = SymptomNameForm(request.POST)
    old = symptom.name
    try:
        if not form.is_valid():
            raise symptoms.SymptomError(" ".join(form.errors["name"]))
        symptoms.rename(symptom, form.cleaned_data["name"])
    except symptoms.SymptomError as exc:
        messages.error(request, f"“{old}” was not renamed: {exc}")
    else:
        messages.success(request, f"Renamed “{old}” to “{symptom.name}”; its ratings stay with it.")
    return redirect("journal:symptoms")


@methods("POST")
@login_required
def symptom_move(request: HttpRequest, pk: int) -> HttpResponse:
    symptom = access.get_owned_or_404(request.user, Symptom, area=AREA, write=True, pk=pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        symptoms.move(symptom, step)
    except symptoms.SymptomError as exc:
        messages.error(request, str(exc))
    return redirect("journal:symptoms")


@methods("POST")
@login_required
def symptom_archive(request: HttpRequest, pk: int) -> HttpResponse:
    symptom = access.get_owned_or_404(request.user, Symptom, area=AREA, write=True, pk=pk)
    symptoms.archive(symptom)
    messages.success(
        request,
        f"Archived “{symptom.name}”: it leaves the check-in; its ratings stay in your history.",
    )
    return redirect("journal:symptoms")


@methods("POST")
@login_required
def symptom_restore(request: HttpRequest, pk: int) -> HttpResponse:
    symptom = access.get_owned_or_404(request.user, Symptom, area=AREA, write=True, pk=pk)
    try:
        symptoms.restore(symptom)
    except symptoms.SymptomError as exc:
        messages.error(request, f"“{symptom.name}” was not restored: {exc}")
    else:
        messages.success(request, f"Restored “{symptom.name}”: the check-in asks about it again.")
    return redirect("journal:symptoms")
