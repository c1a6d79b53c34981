"""Home page, the dashboard shell, and the patient overview a sharing clinician also sees."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from ldn.web import access
from ldn.web.accounts import onboarding
from ldn.web.accounts.clock import local_today, profile_of
from ldn.web.journal.models import DailyEntry
from ldn.web.journal.queries import doses_by_day, journal_summary
from ldn.web.methods import methods
from ldn.web.therapy import plans


@methods("GET")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


@methods("GET")
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_clinician:  # type: ignore[union-attr]
        return redirect("clinic:patients")
    if not user.is_patient:  # type: ignore[union-attr]
        return redirect("admin:index")
    today = local_today(user)  # type: ignore[arg-type]
    plan = plans.current_plan(user)  # type: ignore[arg-type]
    profile = profile_of(user)  # type: ignore[arg-type]
    context = {
        "summary": journal_summary(user, today),  # type: ignore[arg-type]
        "plan": plan,
        "tonight_mg": plan.dose_on(today) if plan else None,
        "profile": profile,
        "setup": onboarding.next_step(profile) if profile else None,
        "setup_total": len(onboarding.STEPS),
    }
    return render(request, "pages/dashboard.html", context)


@methods("GET")
@login_required
def patient_overview(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access.patient_or_404(request.user, patient_id, area="journal")
    recent = list(access.own_records(patient, DailyEntry).order_by("-day")[:14])
    doses = doses_by_day(patient, [e.day for e in recent])
    rows = [(entry, doses.get(entry.day)) for entry in recent]
    summary = journal_summary(patient, local_today(patient))
    return render(
        request,
        "pages/patient_overview.html",
        {"patient": patient, "rows": rows, "summary": summary},
    )


CSP_REPORT_MAX_BYTES = 16 * 1024
csp_log = logging.getLogger("ldn.csp")


@csrf_exempt
@methods("POST")
def csp_report(request: HttpRequest) -> HttpResponse:
    """Development only: browsers POST Content-Security-Policy violations here; each is logged."""
    if not settings.DEBUG:
        raise Http404("CSP reports are collected only on a development server (LDN_DEBUG=1).")
    body = request.read(CSP_REPORT_MAX_BYTES + 1)
    if len(body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    csp_log.warning("CSP violation: %s", body.decode("utf-8", "replace"))
    return HttpResponse(status=204)
