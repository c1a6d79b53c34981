"""Journal pages: check-in, history, a day's entry. Every record is fetched through ldn.web.access."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ldn.journal import RATING_ANCHORS
from ldn.web import access
from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import User
from ldn.web.journal import charts, services
from ldn.web.journal.forms import CheckInForm
from ldn.web.journal.models import DailyEntry, EntryRevision, Symptom
from ldn.web.journal.queries import doses_by_day

AREA = "journal"


def _patient(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_patient:
        raise PermissionDenied("Only patients keep a journal.")
    return user


@login_required
def checkin(request: HttpRequest, day: dt.date | None = None) -> HttpResponse:
    patient = _patient(request)
    today = local_today(patient)
    day = day or today
    if day > today:
        messages.error(request, "You cannot check in for a day that has not happened yet.")
        return redirect("journal:checkin")
    symptoms = list(Symptom.objects.filter(patient=patient, active=True))
    initial, source = services.initial_for(patient, day)
    form = CheckInForm(request.POST or None, initial=initial, symptoms=symptoms, day=day)
    if request.method == "POST" and form.is_valid():
        services.save_checkin(patient, day, form.cleaned_data, form.scores(), by=patient)
        messages.success(request, f"Saved your check-in for {day:%A %-d %B}.")
        return redirect("journal:checkin_day", day=day)
    missing_yesterday = (
        day == today
        and not DailyEntry.objects.filter(
            patient=patient, day=today - dt.timedelta(days=1)
        ).exists()
    )
    context = {
        "form": form,
        "sleep_quality": form.scale("sleep_quality"),
        "stress": form.scale("stress"),
        "day": day,
        "today": today,
        "source": source,
        "anchors": RATING_ANCHORS,
        "missing_yesterday": missing_yesterday,
        "yesterday": today - dt.timedelta(days=1),
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1) if day < today else None,
    }
    return render(request, "journal/checkin.html", context)


@login_required
def history(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    symptoms = list(Symptom.objects.filter(patient=patient, active=True))
    chosen = next((s for s in symptoms if str(s.pk) == request.GET.get("symptom")), None)
    chosen = chosen or (symptoms[0] if symptoms else None)
    days = charts.RANGES.get(request.GET.get("range", "1y"), charts.RANGES["1y"])
    end = local_today(patient)
    context = {"symptoms": symptoms, "chosen": chosen, "range": request.GET.get("range", "1y")}
    if chosen is not None:
        context["view"] = charts.history_view(patient, chosen, end, days)
    return render(request, "journal/history.html", context)


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_owned_or_404(request.user, DailyEntry, area=AREA, pk=pk)
    ratings = entry.ratings.select_related("symptom").order_by("symptom__position")
    revisions = EntryRevision.objects.filter(patient=entry.patient, day=entry.day)[:20]
    dose = doses_by_day(entry.patient, [entry.day]).get(entry.day)
    return render(
        request,
        "journal/entry_detail.html",
        {"entry": entry, "ratings": ratings, "revisions": revisions, "dose": dose},
    )


@login_required
@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_owned_or_404(request.user, DailyEntry, area=AREA, write=True, pk=pk)
    day = entry.day
    services.delete_entry(entry, by=request.user)  # type: ignore[arg-type]
    messages.success(
        request,
        f"The entry for {day:%-d %B %Y} was deleted. Its last version is kept in the history.",
    )
    return redirect(reverse("journal:history"))
