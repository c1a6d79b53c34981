"""Living with LDN pages. Every record goes through ldn.web.access; logic lives in services."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ldn.dosing.errors import PlanError
from ldn.knowledge.living import statements
from ldn.web import access
from ldn.web.accounts import clock
from ldn.web.accounts.models import Share
from ldn.web.living import services
from ldn.web.living.forms import (
    BottleForm,
    DecisionForm,
    ExtraDayForm,
    ProcedureForm,
    ThyroidRecordForm,
    TimingSetupForm,
)
from ldn.web.living.models import Bottle, PlannedProcedure, StepDecision, ThyroidRecord
from ldn.web.methods import methods
from ldn.web.therapy import plans


def _rng() -> np.random.Generator:
    """The one seam for the experiment's randomness (tests pass their own through services)."""
    return np.random.default_rng()


@methods("GET")
@login_required
def index(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    today = clock.local_today(patient)
    open_change = services.open_window(patient, today)
    closed = services.last_closed_window(patient, today)
    context = {
        "today": today,
        "window": services.window_view(patient, open_change, today) if open_change else None,
        "closed": services.window_view(patient, closed, today) if closed else None,
        "decision": access.own_records(patient, StepDecision).filter(change_day=closed.day).first()
        if closed
        else None,
        "has_clinician": services.has_plan_clinician(patient),
        "changes": services.changes(patient),
        "items": services.TOLERANCE_ITEMS,
        "say": statements(),
    }
    return render(request, "living/index.html", context)


@methods("POST")
@login_required
def day_save(request: HttpRequest, day: dt.date) -> HttpResponse:
    patient = access.patient_of(request)
    if day > clock.local_today(patient):
        messages.error(request, "You cannot record a day that has not happened yet.")
        return redirect("journal:checkin")
    extra = services.extra_set(patient, day)
    form = ExtraDayForm(request.POST, items=extra.items)
    if not extra.items:
        messages.error(request, "Nothing extra is asked on this day; nothing was saved.")
    elif form.is_valid():
        services.save_day(patient, day, form.scores())
        messages.success(request, f"Saved the extra questions for {day:%A %-d %B}.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("journal:checkin_day", day=day)


@methods("GET", "POST")
@login_required
def timing_page(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    today = clock.local_today(patient)
    experiment = services.current_experiment(patient)
    form = TimingSetupForm(request.POST or None, today=today)
    if request.method == "POST" and experiment is None and form.is_valid():
        data = form.cleaned_data
        try:
            services.start_experiment(
                patient, start=data["start"], block_days=data["block_days"], pairs=data["pairs"],
                morning_time=data["morning_time"], bedtime_time=data["bedtime_time"],
                prescriber=data["prescriber"], rng=_rng(),
            )  # fmt: skip
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The order of the blocks is drawn; your schedule is below.")
            return redirect("living:timing")
    context = {"form": form, "experiment": experiment, "today": today, "say": statements()}
    if experiment is not None:
        schedule = services.schedule_of(experiment)
        context |= {
            "blocks": services.timing.blocks(schedule),
            "end": services.experiment_end(experiment),
            "tonight": services.timing.time_on(schedule, today),
            "dose_time": services.dose_time_on(patient, today),
            "result": services.experiment_result(experiment)
            if today > services.experiment_end(experiment)
            else None,
        }
    return render(request, "living/timing.html", context)


@methods("POST")
@login_required
def timing_stop(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    experiment = services.current_experiment(patient)
    if experiment is not None:
        services.stop_experiment(experiment, clock.local_today(patient))
        messages.success(request, "The experiment is closed; later timing changes were removed.")
    return redirect("living:timing")


@methods("GET", "POST")
@login_required
def thyroid_page(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    today = clock.local_today(patient)
    form = ThyroidRecordForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access.create_own(
            patient, ThyroidRecord, day=data["day"], kind=data["kind"], value=data["value"],
            unit=data["unit"], note=data["note"],
        )  # fmt: skip
        messages.success(request, "Saved.")
        return redirect("living:thyroid")
    watch = services.thyroid_watch_open(patient, today)
    context = {
        "form": form,
        "match": services.thyroid_match(patient),
        "watch": watch,
        "course": services.watch_course(patient, watch, today) if watch else None,
        "records": access.own_records(patient, ThyroidRecord)[:30],
        "labs": services.lab_status(patient, today),
        "say": statements(),
    }
    return render(request, "living/thyroid.html", context)


@methods("GET")
@login_required
def thyroid_note(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    today = clock.local_today(patient)
    context = {
        "patient": patient,
        "today": today,
        "plan": plans.current_plan(patient),
        "changes": services.changes(patient),
        "records": access.own_records(patient, ThyroidRecord)[:20],
        "say": statements(),
    }
    return render(request, "living/thyroid_note.html", context)


@methods("GET", "POST")
@login_required
def surgery_page(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    form = ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.save_procedure(patient, form.cleaned_data, by=patient)
        except (PlanError, ValueError) as exc:
            form.add_error(None, f"Not saved: {exc}.")
        else:
            messages.success(
                request, f"Saved the instruction as given; plan version {row.plan_version.number} "  # type: ignore[union-attr]
                f"pauses your doses and reminders after {row.last_dose_day:%A %-d %B}.",
            )  # fmt: skip
            return redirect("living:surgery")
    rows = access.own_records(patient, PlannedProcedure).select_related(
        "entered_by", "confirmed_by", "plan_version"
    )
    sources = services.surgery_sources()
    context = {
        "form": form,
        "procedures": rows,
        "sources": sources,
        "extra_sources": sources.references,
        "has_plan": plans.current_version(patient) is not None,
        "say": statements(),
    }
    return render(request, "living/surgery.html", context)


@methods("GET", "POST")
@login_required
def liquid_page(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    form = BottleForm(request.POST or None, initial={"started_on": clock.local_today(patient)})
    if request.method == "POST" and form.is_valid():
        access.create_own(patient, Bottle, **form.cleaned_data)
        messages.success(request, "New bottle saved; the volumes below use its strength.")
        return redirect("living:liquid")
    today = clock.local_today(patient)
    plan = plans.current_plan(patient)
    bottle = services.current_bottle(patient, today)
    context = {
        "form": form,
        "bottle": bottle,
        "bottles": access.own_records(patient, Bottle)[:10],
        "rows": services.step_volumes(plan, bottle),
        "due": services.expected_refill(plan, bottle) if bottle else None,
        "say": statements(),
    }
    return render(request, "living/liquid.html", context)


@methods("GET", "POST")
@login_required
def clinic_step(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient, change = access.clinician_page_or_404(
        request,
        patient_id,
        area=Share.Area.PLAN,
        read="tolerance window (decide)",
        write="decided a dose step",
    )
    today = clock.local_today(patient)
    closed = services.last_closed_window(patient, today)
    view = services.window_view(patient, closed, today) if closed else None
    form = DecisionForm(
        request.POST or None, initial={"decision": view.summary.proposal} if view else None
    )
    if change is not None and view is not None and form.is_valid():
        try:
            with change:
                row = services.decide_step(
                    patient, view.change, view.summary, by=request.user,  # type: ignore[arg-type]
                    decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"],
                    today=today,
                )  # fmt: skip
                change.what = (
                    f"decided the dose step of {row.change_day:%Y-%m-%d}: "
                    f"{row.get_decision_display()}"
                )
        except (PlanError, ValueError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Decision saved as plan version {row.plan_version.number}.")  # type: ignore[union-attr]
            return redirect("living:clinic_step", patient_id=patient.pk)
    context = {
        "patient": patient,
        "view": view,
        "form": form,
        "items": services.TOLERANCE_ITEMS,
        "decision": access.own_records(patient, StepDecision).filter(change_day=closed.day).first()
        if closed
        else None,
        "say": statements(),
    }
    return render(request, "living/clinic_step.html", context)


@methods("POST")
@login_required
def procedure_confirm(request: HttpRequest, patient_id: int, pk: int) -> HttpResponse:
    change = access.clinician_write_or_404(
        request.user, patient_id, area=Share.Area.PLAN, what="confirmed a procedure instruction"
    )
    procedure = change.record_or_404(PlannedProcedure, pk=pk)
    change.what = f"confirmed the instruction for {procedure.description} on {procedure.procedure_day:%Y-%m-%d}"
    with change:
        procedure.confirmed_by = request.user  # type: ignore[assignment]
        procedure.confirmed_at = clock.now()
        procedure.save(update_fields=["confirmed_by", "confirmed_at"])
    messages.success(request, "Instruction confirmed.")
    return redirect("living:clinic_procedure_new", patient_id=change.patient.pk)


@methods("GET", "POST")
@login_required
def clinic_procedure_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient, change = access.clinician_page_or_404(
        request,
        patient_id,
        area=Share.Area.PLAN,
        read="procedure (enter)",
        write="entered a procedure instruction",
    )
    form = ProcedureForm(request.POST or None)
    if change is not None and form.is_valid():
        data = form.cleaned_data
        change.what = (
            f"entered the prescriber's instruction for {data['description']} on "
            f"{data['procedure_day']:%Y-%m-%d}"
        )
        try:
            with change:
                services.save_procedure(patient, data, by=request.user)  # type: ignore[arg-type]
        except (PlanError, ValueError) as exc:
            form.add_error(None, f"Not saved: {exc}.")
        else:
            messages.success(
                request, "Saved the instruction as given; the patient sees it with your name."
            )
            return redirect("living:clinic_procedure_new", patient_id=patient.pk)
    sources = services.surgery_sources()
    context = {
        "patient": patient,
        "form": form,
        "procedures": access.own_records(patient, PlannedProcedure).select_related(
            "entered_by", "confirmed_by", "plan_version"
        ),
        "sources": sources,
        "extra_sources": sources.references,
        "say": statements(),
    }
    return render(request, "living/clinic_procedure.html", context)
