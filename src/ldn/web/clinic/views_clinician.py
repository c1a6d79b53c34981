"""The clinician's side: accept an invitation, the patient list, one patient's view, and the
actions on it (adjust the plan, schedule a follow-up, write a note)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ldn.dosing import PlanError
from ldn.web import access
from ldn.web.accounts import clock
from ldn.web.accounts.clock import local_today, patient_zone
from ldn.web.accounts.models import Share
from ldn.web.clinic import flags, integrations, sharing
from ldn.web.clinic.forms import AcceptForm, AdjustPlanForm, FollowUpForm, NoteForm
from ldn.web.clinic.models import ClinicianNote, FollowUpOutcome
from ldn.web.methods import methods
from ldn.web.therapy.models import FollowUp


@methods("GET")
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return redirect("clinic:patients" if user.is_clinician else "clinic:sharing")  # type: ignore[union-attr]


@methods("GET", "POST")
@login_required
def accept(request: HttpRequest, code: str = "") -> HttpResponse:
    clinician = access.clinician_of(request)
    form = AcceptForm(request.POST or None, initial={"code": sharing.pretty(code) if code else ""})
    invitation = None
    if request.method == "POST" and form.is_valid():
        try:
            share = sharing.accept(form.cleaned_data["code"], clinician)
        except sharing.InvitationError as exc:
            form.add_error("code", str(exc))
        else:
            name = share.patient.get_full_name() or share.patient.get_username()
            messages.success(request, f"{name} now shares their record with you.")
            return redirect("clinic:patient", patient_id=share.patient_id)
    elif code:
        try:
            invitation = sharing.find(code)
        except sharing.InvitationError as exc:
            form.add_error("code", str(exc))
    context = {
        "form": form,
        "invitation": invitation,
        "areas": sharing.area_labels(invitation.areas) if invitation else [],
    }
    return render(request, "clinic/accept.html", context)


@methods("GET")
@login_required
def patient_list(request: HttpRequest) -> HttpResponse:
    clinician = access.clinician_of(request)
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    params = flags.ListParams(
        q=request.GET.get("q", "").strip()[:80],
        flag=request.GET.get("flag", ""),
        sort=request.GET.get("sort", "attention"),
        page=page_number,
    )
    page = flags.patient_list(clinician, params)
    access.audit_list(
        clinician,
        [row.patient_id for row in page.object_list],
        "name and flags in the patient list",
    )
    context = {
        "page": page,
        "params": params,
        "labels": flags.flag_labels(),
        "sorts": [
            ("attention", "Needs attention"),
            ("name", "Name"),
            ("last_entry", "Last entry"),
            ("adherence", "Adherence (lowest first)"),
        ],
        "synthetic": flags.synthetic_ids([row.patient_id for row in page.object_list]),
        "threshold": flags.rules()["flags"]["adherence_low"]["threshold_pct"],
        "now": clock.now(),
    }
    return render(request, "clinic/patient_list.html", context)


@methods("GET")
@login_required
def patient_view(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient, areas = access.shared_patient_or_404(request.user, patient_id)
    if request.user.pk == patient.pk:
        return redirect("dashboard")
    clinician = access.clinician_of(request)
    today = local_today(patient)
    row = flags.current_row(patient, today)
    context: dict[str, object] = {
        "patient": patient,
        "areas": areas,
        "area_labels": sharing.area_labels([a for a in Share.all_areas() if a in areas]),
        "not_shared": sharing.area_labels([a for a in Share.all_areas() if a not in areas]),
        "row": row,
        "chips": flags.chips(row, areas),
        "notes": access.own_records(patient, ClinicianNote).filter(author=clinician),
        "note_form": NoteForm(),
        "follow_up_form": FollowUpForm(initial={"day": today + dt.timedelta(days=28)}),
        "adjust_form": AdjustPlanForm(initial={"from_day": today + dt.timedelta(days=1)}),
        "now": clock.now(),
    }
    if Share.Area.PLAN in areas:
        context["plan"] = integrations.current_plan(patient)
        context["tonight"] = context["plan"].dose_on(today) if context["plan"] else None
        context["versions"] = integrations.plan_versions(patient)
        context["procedures"] = integrations.procedures(patient, today)
        context["adherence"] = integrations.adherence_weeks(patient, today)
        context["follow_ups"] = integrations.follow_ups(patient)
    if Share.Area.MEDICATIONS in areas:
        context["findings"] = integrations.latest_findings(patient)
        context["contraindications"] = integrations.unresolved_contraindications_batch(
            [patient.pk]
        ).get(patient.pk, [])
    if Share.Area.ANALYSIS in areas:
        context["verdicts"], context["verdict_message"] = integrations.verdicts(patient, today)
    if Share.Area.JOURNAL in areas:
        context["side_effects"] = row.side_effect_names
    return render(request, "clinic/patient_view.html", context)


@methods("GET", "POST")
@login_required
def adjust_plan(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient, change = access.clinician_page_or_404(
        request, patient_id, area=Share.Area.PLAN, read="plan (adjust)", write="changed the plan"
    )
    today = local_today(patient)
    form = AdjustPlanForm(request.POST or None, initial={"from_day": today + dt.timedelta(days=1)})
    if change is not None and form.is_valid():
        data = form.cleaned_data
        try:
            with change:
                row = integrations.adjust_plan(
                    patient,
                    by=request.user,  # type: ignore[arg-type]
                    dose_mg=data["dose_mg"],
                    from_day=data["from_day"],
                    reason=data["reason"],
                )
                change.what = (
                    f"changed the plan to {data['dose_mg']:g} mg from {data['from_day']:%Y-%m-%d}"
                    f" (plan version {row.number})"
                )
        except (PlanError, ValueError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Plan version {row.number} saved; the patient sees it now.")
            return redirect("clinic:patient", patient_id=patient.pk)
    plan = integrations.current_plan(patient)
    return render(
        request, "clinic/adjust_plan.html", {"patient": patient, "form": form, "plan": plan}
    )


@methods("POST")
@login_required
def follow_up_create(request: HttpRequest, patient_id: int) -> HttpResponse:
    change = access.clinician_write_or_404(
        request.user, patient_id, area=Share.Area.PLAN, what="scheduled a follow-up"
    )
    patient = change.patient
    form = FollowUpForm(request.POST, today=local_today(patient))
    if form.is_valid():
        zone = patient_zone(patient)
        when = dt.datetime.combine(form.cleaned_data["day"], form.cleaned_data["time"], tzinfo=zone)
        change.what = f"scheduled a follow-up for {when:%Y-%m-%d %H:%M}"
        with change:
            integrations.schedule_follow_up(
                patient,
                by=request.user,
                when=when,
                note=form.cleaned_data["note"],  # type: ignore[arg-type]
            )
        messages.success(request, "Follow-up scheduled; it is in the patient's reminders.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("clinic:patient", patient_id=patient.pk)


@methods("POST")
@login_required
def follow_up_held(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up, change = access.clinician_write_on_or_404(
        request.user, FollowUp, area=Share.Area.PLAN, what="marked a follow-up as held", pk=pk
    )
    day = timezone.localtime(follow_up.when, patient_zone(change.patient))
    change.what = f"marked the follow-up of {day:%Y-%m-%d} as held"
    with change:
        access.own_records(change.patient, FollowUpOutcome).get_or_create(
            follow_up=follow_up,
            defaults={"patient_id": follow_up.patient_id, "recorded_by": request.user},
        )
    messages.success(request, "Follow-up marked as held.")
    return redirect("clinic:patient", patient_id=follow_up.patient_id)


@methods("POST")
@login_required
def note_create(request: HttpRequest, patient_id: int) -> HttpResponse:
    change = access.clinician_write_or_404(
        request.user, patient_id, area="notes", what="wrote a note"
    )
    patient = change.patient
    form = NoteForm(request.POST)
    if form.is_valid():
        shared = form.cleaned_data["shared_with_patient"]
        change.what = (
            "wrote a note shared with you" if shared else "wrote a note (not shared with you)"
        )
        with change:
            change.create(
                ClinicianNote,
                author=request.user,
                text=form.cleaned_data["text"],
                shared_with_patient=shared,
            )
        messages.success(request, "Note saved.")
    else:
        messages.error(request, "The note is empty.")
    return redirect("clinic:patient", patient_id=patient.pk)
