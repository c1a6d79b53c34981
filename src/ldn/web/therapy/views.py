"""The therapy hub: tonight's dose, the safety state, and links to each therapy page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ldn.web import access
from ldn.web.accounts.clock import local_today
from ldn.web.methods import methods
from ldn.web.therapy import plans, screening


@methods("GET")
@login_required
def index(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    today = local_today(patient)
    plan = plans.current_plan(patient)
    worst = [v.finding.severity for v in screening.evaluate(patient)]
    context = {
        "today": today,
        "plan": plan,
        "tonight": plan.dose_on(today) if plan else None,
        "paused": plan.paused_on(today) if plan else None,
        "counts": {s: worst.count(s) for s in screening.SEVERITY_ORDER},
    }
    return render(request, "therapy/index.html", context)
