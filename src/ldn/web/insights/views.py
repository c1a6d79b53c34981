"""Insights pages: the dashboard, and the blinded N-of-1 trial. Records come through ldn.web.access."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from ldn.web import access
from ldn.web.accounts.clock import local_today, patient_zone, profile_of
from ldn.web.accounts.models import User
from ldn.web.insights import services
from ldn.web.insights import trial as trials
from ldn.web.insights.forms import PharmacistEmailForm, TrialForm, UnblindForm
from ldn.web.insights.models import Trial
from ldn.web.methods import methods

AREA = "analysis"


def _dashboard(request: HttpRequest, patient: User) -> HttpResponse:
    try:
        exclude = int(request.GET.get("exclude_weeks", "0"))
    except ValueError:
        exclude = 0
    exclude = exclude if exclude in services.EXCLUDE_WEEK_CHOICES else 0
    today = local_today(patient)
    context = {
        "board": services.build_dashboard(patient, today, exclude),
        "patient": patient,
        "own": request.user.pk == patient.pk,
        "synthetic": bool(getattr(profile_of(patient), "is_synthetic", False)),
        "exclude_choices": services.EXCLUDE_WEEK_CHOICES,
        "trials": list(access.own_records(patient, Trial)[:5]),
        "today": today,
    }
    return render(request, "insights/dashboard.html", context)


@methods("GET")
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, User) and user.is_clinician:
        patients = access.shared_patients(user).order_by("last_name", "username")
        return render(request, "insights/clinician_index.html", {"patients": patients})
    return _dashboard(request, access.patient_of(request))


@methods("GET")
@login_required
def patient_dashboard(request: HttpRequest, patient_id: int) -> HttpResponse:
    return _dashboard(request, access.patient_or_404(request.user, patient_id, area=AREA))


@methods("GET", "POST")
@login_required
def trial_new(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    current = trials.open_trial(patient)
    if current is not None:
        messages.info(request, "You already have a trial that is not unblinded yet.")
        return redirect("insights:trial", pk=current.pk)
    data = request.POST if request.method == "POST" else None
    form = TrialForm(data, patient=patient, today=local_today(patient))
    if request.method == "POST" and form.is_valid():
        trial = trials.create_trial(patient, form.design(), form.cleaned_data["primary_symptom"])
        messages.success(
            request,
            "Your trial is randomised and sealed. Next: get the allocation to your pharmacist.",
        )
        return redirect("insights:trial", pk=trial.pk)
    findings = form.design().findings() if form.is_bound and form.is_valid() else ()
    return render(request, "insights/trial_new.html", {"form": form, "findings": findings})


def _detail_context(request: HttpRequest, trial: Trial, **extra: object) -> dict[str, object]:
    own = request.user.pk == trial.patient_id
    today = local_today(trial.patient)
    patient_email = trial.patient.email if own else ""
    return {
        "trial": trial,
        "own": own,
        "status": trials.status(trial, today),
        "periods": trials.calendar(trial.design),
        "today": today,
        "findings": trial.design.findings(),
        "link": trials.link_status(trial),
        "sheet_views": trials.sheet_views(trial),
        "email_form": PharmacistEmailForm(patient_email=patient_email) if own else None,
        "zone": patient_zone(trial.patient),
        **extra,
    }


@methods("GET")
@login_required
@never_cache
def trial_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trial = access.get_owned_or_404(request.user, Trial, area=AREA, pk=pk)
    return render(request, "insights/trial_detail.html", _detail_context(request, trial))


@methods("POST")
@login_required
@never_cache
def trial_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The pharmacist's link: e-mailed to the pharmacist by the patient (who never sees it), or
    issued to a sharing clinician, who sees it once."""
    user = request.user
    if isinstance(user, User) and user.is_clinician:
        return _clinician_trial_link(request, user, pk)
    trial = access.get_owned_or_404(user, Trial, area=AREA, write=True, pk=pk)
    if trial.is_unblinded:
        return redirect("insights:trial_result", pk=trial.pk)
    form = PharmacistEmailForm(request.POST, patient_email=trial.patient.email)
    if not form.is_valid():
        context = _detail_context(request, trial, email_form=form)
        return render(request, "insights/trial_detail.html", context, status=400)
    email = form.cleaned_data["email"]
    shown = f"{email[0]}…@{email.rsplit('@', 1)[1]}"
    token = trials.issue_link(trial, f"e-mailed to {shown}")
    trials.email_link(trial, email, _sheet_url(request, token))
    messages.success(request, f"The link was sent to {shown}; any older link stopped working.")
    return redirect("insights:trial", pk=trial.pk)


def _clinician_trial_link(request: HttpRequest, clinician: User, pk: int) -> HttpResponse:
    trial, change = access.clinician_write_on_or_404(
        clinician, Trial, area=AREA, what="issued a new pharmacist link for your trial", pk=pk
    )
    if trial.is_unblinded:
        return redirect("insights:trial_result", pk=trial.pk)
    name = clinician.get_full_name() or clinician.get_username()
    with change:
        token = trials.issue_link(trial, f"issued by {name}")
    context = _detail_context(request, trial, sheet_url=_sheet_url(request, token))
    context["patient"] = change.patient
    return render(request, "insights/trial_detail.html", context)


def _sheet_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("insights:trial_sheet", args=[token]))


@methods("GET", "POST")
@login_required
def trial_unblind(request: HttpRequest, pk: int) -> HttpResponse:
    trial = access.get_owned_or_404(request.user, Trial, area=AREA, write=True, pk=pk)
    if trial.is_unblinded:
        return redirect("insights:trial_result", pk=trial.pk)
    today = local_today(trial.patient)
    form = UnblindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        trials.unblind(trial, today)
        return redirect("insights:trial_result", pk=trial.pk)
    context = {"trial": trial, "form": form, "early": today <= trial.end, "today": today}
    return render(request, "insights/trial_unblind.html", context)


@methods("GET")
@login_required
def trial_result(request: HttpRequest, pk: int) -> HttpResponse:
    trial = access.get_owned_or_404(request.user, Trial, area=AREA, pk=pk)
    if not trial.is_unblinded:
        messages.info(request, "The allocation is still sealed.")
        return redirect("insights:trial", pk=trial.pk)
    context = {
        "trial": trial,
        "report": trials.trial_report(trial),
        "own": request.user.pk == trial.patient_id,
        "references": trials.references(),
    }
    return render(request, "insights/trial_result.html", context)


@methods("GET")
@never_cache
def trial_sheet(request: HttpRequest, token: str) -> HttpResponse:
    """The pharmacist's allocation sheet, reached only with the secret link."""
    found = trials.sheet_for_token(token)
    if found is None:
        return render(request, "insights/sheet_missing.html", status=404)
    trial, sheet = found
    if not trial.is_unblinded and access.can_read(request.user, trial.patient, AREA):
        response = render(request, "insights/sheet_refused.html", {"trial": trial}, status=403)
    else:
        context = {"trial": trial, "sheet": sheet, "periods": trials.calendar(trial.design)}
        response = render(request, "insights/trial_sheet.html", context)
        trials.record_view(trial)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
