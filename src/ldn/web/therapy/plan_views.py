"""Plan pages: the plan with its calendar and history; start/change, pause, resume; calculator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ldn.dosing import PlanError, dose_forms, templates
from ldn.web import access
from ldn.web.accounts.clock import local_today, patient_zone
from ldn.web.accounts.models import User
from ldn.web.living import services as living
from ldn.web.methods import methods
from ldn.web.therapy import plans, screening
from ldn.web.therapy.forms import LiquidForm, PauseForm, PlanForm, ResumeForm, SurgeryPauseForm

AREA = "plan"


def patient_of(request: HttpRequest) -> User:
    """The signed-in patient; a clinician changes a shared plan from the clinic (adjust_plan)."""
    user = request.user
    if not isinstance(user, User) or not user.is_patient:
        raise PermissionDenied("Only the patient can change their own plan and medications.")
    return user


def _plan_context(patient: User) -> dict[str, object]:
    today = local_today(patient)
    row = plans.current_version(patient)
    context: dict[str, object] = {"patient": patient, "today": today, "version": row}
    if row is not None:
        plan = plans.to_core(row)
        context |= {
            "plan": plan,
            "tonight": plan.dose_on(today),
            "paused": plan.paused_on(today),
            "open_pause": next((p for p in plan.pauses if p.end is None), None),
            "segments": plan.segments(),
            "bottle": (bottle := living.current_bottle(patient, today)),
            "segment_volumes": [
                (step, first, last, living.volume_for(step.dose_mg, bottle) if bottle else None)
                for step, first, last in plan.segments()
            ],
            "calendar": plans.upcoming(plan, today),
            "adherence": plans.adherence(patient, plan, today),
            "versions": list(reversed(plans.versions(patient))),
            "template": templates().get(plan.name),
        }
    return context


@methods("GET")
@login_required
def plan_page(request: HttpRequest) -> HttpResponse:
    patient = patient_of(request)
    context = _plan_context(patient) | {
        "surgery_form": SurgeryPauseForm(),
        "pause_form": PauseForm(),
        "resume_form": ResumeForm(initial={"on": local_today(patient)}),
    }
    with timezone.override(patient_zone(patient)):
        return render(request, "therapy/plan.html", context)


@methods("GET")
@login_required
def patient_plan(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access.patient_or_404(request.user, patient_id, area=AREA)
    with timezone.override(patient_zone(patient)):
        return render(request, "therapy/plan.html", _plan_context(patient) | {"readonly": True})


def save_plan(request: HttpRequest, patient: User, form: PlanForm) -> bool:
    """Save a valid PlanForm as the patient's next plan version (the plan page and onboarding).

    Warnings go to the messages; a first plan re-runs the screening. False, with the core's
    message on the form, when the plan cannot be saved.
    """
    first = plans.current_version(patient) is None
    try:
        plans.save_version(patient, form.plan, author=patient, reason=form.cleaned_data["reason"])
    except (PlanError, ValueError) as exc:
        form.add_error(None, str(exc))
        return False
    for warning in form.plan.warnings:
        messages.warning(request, f"Check with your prescriber: {warning}.")
    if first:
        screening.run(patient, "plan_started")
    messages.success(request, "Plan saved. The change is kept in the plan's history.")
    return True


@methods("GET", "POST")
@login_required
def plan_edit(request: HttpRequest) -> HttpResponse:
    patient = patient_of(request)
    first = plans.current_version(patient) is None
    initial = {"start": local_today(patient), "reason": "Starting LDN" if first else ""}
    form = PlanForm(request.POST or None, initial=initial, current=plans.current_plan(patient))
    if request.method == "POST" and form.is_valid() and save_plan(request, patient, form):
        return redirect("therapy:plan")
    return render(
        request, "therapy/plan_edit.html", {"form": form, "first": first, "templates": templates()}
    )


@methods("POST")
@login_required
def plan_pause(request: HttpRequest) -> HttpResponse:
    patient = patient_of(request)
    plan = plans.current_plan(patient)
    surgery = SurgeryPauseForm(request.POST) if "surgery" in request.POST else None
    manual = None if surgery else PauseForm(request.POST)
    try:
        if plan is None:
            raise ValueError("there is no plan to pause yet")
        if surgery is not None and surgery.is_valid():
            _row, result = plans.pause_for(patient, surgery.cleaned_data["surgery"], author=patient)
            request.session["surgery_pause"] = {
                "last_dose_day": result.last_dose_day.isoformat(),
                "basis": result.basis,
                "resume": result.resume_guidance,
                "references": [r.citation() for r in result.references],
            }
            messages.success(
                request, f"Plan paused: last dose on {result.last_dose_day:%A %-d %B}."
            )
            return redirect("therapy:plan")
        if manual is not None and manual.is_valid():
            data = manual.cleaned_data
            paused = plan.pause(data["start"], data["end"], reason=data["reason"])
            plans.save_version(patient, paused, author=patient, reason=f"Paused: {data['reason']}")
            messages.success(request, "Plan paused.")
            return redirect("therapy:plan")
        form = surgery or manual
        errors = [e for errs in form.errors.values() for e in errs] if form else []
        messages.error(request, "Not paused: " + " ".join(errors))
    except (PlanError, ValueError) as exc:
        messages.error(request, f"Not paused: {exc}.")
    return redirect("therapy:plan")


@methods("POST")
@login_required
def plan_resume(request: HttpRequest) -> HttpResponse:
    patient = patient_of(request)
    plan = plans.current_plan(patient)
    form = ResumeForm(request.POST)
    try:
        if plan is None or not form.is_valid():
            raise ValueError("give the date of the first dose again")
        on = form.cleaned_data["on"]
        plans.save_version(patient, plan.resume(on), author=patient, reason=f"Resumed on {on}")
        request.session.pop("surgery_pause", None)
        messages.success(request, f"Plan resumed: next dose on {on:%A %-d %B}.")
    except (PlanError, ValueError) as exc:
        messages.error(request, f"Not resumed: {exc}.")
    return redirect("therapy:plan")


def _tonight(user: object) -> float | None:
    """Tonight's planned dose for a signed-in patient with a plan, else None."""
    if not isinstance(user, User) or not user.is_patient:
        return None
    plan = plans.current_plan(user)
    return None if plan is None else plan.dose_on(local_today(user))


@methods("GET")
def liquid(request: HttpRequest) -> HttpResponse:
    """Public: the calculator stores nothing (GET, so a result can be bookmarked); a signed-in
    patient's form starts at tonight's planned dose."""
    tonight = _tonight(request.user)
    bound = request.GET if "dose_mg" in request.GET else None
    form = LiquidForm(bound, initial={"dose_mg": f"{tonight:g}"} if tonight else None)
    result = form.result if form.is_bound and form.is_valid() else None
    shown = None
    if result is not None:  # round away float noise (4.1000000000000005) before display
        decimals = len(f"{result.syringe_resolution_ml:g}".partition(".")[2])
        shown = {
            "volume": f"{result.volume_ml:.{decimals}f}",
            "exact": f"{round(result.exact_volume_ml, 4):g}",
            "actual": f"{round(result.actual_dose_mg, 3):g}",
            "concentration": f"{round(result.concentration_mg_per_ml, 4):g}",
            "error": f"{result.error_percent:+.2f}",
            "dose": f"{result.dose_mg:g}",
            "flag": f"{result.flag_above_percent:g}",
        }
    context = {"form": form, "result": result, "shown": shown, "tonight": tonight and not bound}
    return render(request, "therapy/liquid.html", context)


@methods("GET")
def dose_form_list(request: HttpRequest) -> HttpResponse:
    return render(request, "therapy/dose_forms.html", {"forms": dose_forms().values()})
