"""Setting up after sign-up: one step per screen, each skippable, resumable from the dashboard.

Every step reuses the code of the page it stands for (profile, symptom manager, medication
screening, plan creation, reminders); this module only orders them and remembers the next one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ldn.dosing import templates
from ldn.web import access
from ldn.web.accounts.clock import forget_zone, local_today
from ldn.web.accounts.forms import (
    ConditionsForm,
    SymptomPickForm,
    ZoneForm,
    condition_choices,
    condition_slugs,
)
from ldn.web.accounts.models import PatientProfile, User
from ldn.web.journal import symptoms
from ldn.web.journal.models import Medication, Symptom
from ldn.web.methods import methods
from ldn.web.therapy import plans, reminders, screening
from ldn.web.therapy.forms import BedtimeForm, EmailRemindersForm, MedicationForm, PlanForm
from ldn.web.therapy.models import Screening
from ldn.web.therapy.plan_views import save_plan

# The before/after analysis (ldn.analysis) leaves out the 14 days just before the first dose (its
# run-in, `guard_days`) and needs at least 10 rated days before those (`min_baseline_days`). A
# first dose under RUN_IN_DAYS away gets the explanation and the offer of a start LATER_START_DAYS
# away, which leaves room for both.
RUN_IN_DAYS = 14
MIN_BASELINE_DAYS = 10
LATER_START_DAYS = 28


@dataclass(frozen=True)
class Step:
    key: str
    title: str


STEPS = (
    Step("zone", "Your time zone"),
    Step("bedtime", "When you take LDN"),
    Step("conditions", "Your conditions"),
    Step("symptoms", "What to track"),
    Step("medications", "Your medications"),
    Step("plan", "Your LDN plan"),
    Step("reminders", "Reminders"),
)
KEYS = [s.key for s in STEPS]


def start(profile: PatientProfile) -> None:
    """Called at sign-up: the first step is next."""
    profile.onboarding_step = KEYS[0]
    profile.save(update_fields=["onboarding_step"])


def next_step(profile: PatientProfile) -> Step | None:
    """The step to resume at, or None once set-up is finished (or was never started)."""
    return STEPS[KEYS.index(profile.onboarding_step)] if profile.onboarding_step in KEYS else None


def _advance(profile: PatientProfile, done: str) -> HttpResponse:
    """Go on after `done`; progress never moves back when an earlier step is revisited."""
    index = KEYS.index(done) + 1
    current = profile.onboarding_step
    if current in KEYS and KEYS.index(current) < index:
        profile.onboarding_step = KEYS[index] if index < len(KEYS) else ""
        profile.save(update_fields=["onboarding_step"])
    if index >= len(KEYS):
        return redirect("dashboard")
    return redirect("onboarding_step", step=KEYS[index])


@methods("GET")
@login_required
def resume(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    step = next_step(PatientProfile.objects.get(user=patient))
    return redirect("onboarding_step", step=step.key if step else KEYS[0])


@methods("GET", "POST")
@login_required
def step_view(request: HttpRequest, step: str) -> HttpResponse:
    patient = access.patient_of(request)
    if step not in KEYS:
        raise Http404("No such set-up step.")
    profile = PatientProfile.objects.get(user=patient)
    if request.method == "POST" and "skip" in request.POST:
        if step == KEYS[-1]:
            messages.success(request, "Set-up finished. Change any of it later from the menu.")
        return _advance(profile, step)
    handled = HANDLERS[step](request, patient, profile)
    if isinstance(handled, HttpResponse):
        return handled
    index = KEYS.index(step)
    context = handled | {
        "step": STEPS[index],
        "number": index + 1,
        "total": len(STEPS),
        "previous": KEYS[index - 1] if index else None,
    }
    return render(request, f"accounts/onboarding/{step}.html", context)


Result = HttpResponse | dict[str, object]


def _zone(request: HttpRequest, patient: User, profile: PatientProfile) -> Result:
    form = ZoneForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        forget_zone(patient)
        messages.success(request, f"Time zone set to {profile.time_zone}.")
        return _advance(profile, "zone")
    return {"form": form}


def _bedtime(request: HttpRequest, patient: User, profile: PatientProfile) -> Result:
    form = BedtimeForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile.save(update_fields=["bedtime"])
        return _advance(profile, "bedtime")
    return {"form": form}


def _conditions(request: HttpRequest, patient: User, profile: PatientProfile) -> Result:
    known = set(dict(condition_choices()).values())
    initial = {
        "known": condition_slugs(profile.conditions),
        "others": ", ".join(c for c in profile.conditions if c not in known),
    }
    form = ConditionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile.conditions = form.names()
        profile.save(update_fields=["conditions"])
        screening.run(patient, Screening.Trigger.ON_DEMAND)  # conditions are screened too
        return _advance(profile, "conditions")
    return {"form": form}


def _symptoms(request: HttpRequest, patient: User, profile: PatientProfile) -> Result:
    form = SymptomPickForm(request.POST or None, conditions=profile.conditions)
    tracked = list(access.own_records(patient, Symptom).filter(active=True))
    if request.method == "POST" and form.is_valid():
        existing = {s.name.lower() for s in access.own_records(patient, Symptom)}
        try:
            for name in form.names():
                if name.lower() not in existing:
                    symptoms.add(patient, name)
                    existing.add(name.lower())
        except symptoms.SymptomError as exc:
            form.add_error("own", str(exc))
        else:
            return _advance(profile, "symptoms")
    return {"form": form, "tracked": tracked}


def _medications(request: HttpRequest, patient: User, profile: PatientProfile) -> Result:
    form = MedicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        med = form.save(commit=False)
        med.patient = patient
        med.save()
        screening.run(patient, Screening.Trigger.MEDICATION_ADDED)
        messages.success(request, f"Added {med.name} and screened your medications again.")
        return redirect("onboarding_step", step="medications")
    result = screening.current(patient)
    return {
        "form": form,
        "medications": access.own_records(patient, Medication).filter(stopped_on__isnull=True),
        "findings": screening.findings(result),
    }


def _plan(request: HttpRequest, patient: User, profile: PatientProfile) -> Result:
    today = local_today(patient)
    later = today + dt.timedelta(days=LATER_START_DAYS)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and data.get("start_choice") == "later":
        data["start"] = later.isoformat()
    initial = {"start": later, "reason": "Starting LDN"}
    form = PlanForm(data, initial=initial)
    soon = False
    if data is not None and form.is_valid():
        soon = (form.plan.start - today).days < RUN_IN_DAYS and not data.get("start_choice")
        if not soon and save_plan(request, patient, form):
            return _advance(profile, "plan")
    return {
        "form": form,
        "soon": soon,
        "later": later,
        "run_in_days": RUN_IN_DAYS,
        "min_baseline_days": MIN_BASELINE_DAYS,
        "current": plans.current_plan(patient),
        "templates": templates(),
    }


def _reminders(request: HttpRequest, patient: User, profile: PatientProfile) -> Result:
    form = EmailRemindersForm(request.POST or None, instance=reminders.settings_for(patient))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Set-up finished. Change any of it later from the menu.")
        return _advance(profile, "reminders")
    return {"form": form, "has_email": bool(patient.email)}


HANDLERS = {
    "zone": _zone,
    "bedtime": _bedtime,
    "conditions": _conditions,
    "symptoms": _symptoms,
    "medications": _medications,
    "plan": _plan,
    "reminders": _reminders,
}
