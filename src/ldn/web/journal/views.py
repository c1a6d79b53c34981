"""Journal pages: check-in, history, a day's entry. Every record is fetched through ldn.web.access."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ldn.journal import RATING_ANCHORS
from ldn.web import access
from ldn.web.accounts.clock import local_now, local_today, patient_zone
from ldn.web.accounts.models import User
from ldn.web.journal import history as histories
from ldn.web.journal import services
from ldn.web.journal.forms import CheckInForm
from ldn.web.journal.models import DailyEntry, EntryRevision, Symptom
from ldn.web.journal.queries import doses_by_day
from ldn.web.methods import methods

AREA = "journal"


def _patient(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_patient:
        raise PermissionDenied("Only patients keep a journal.")
    return user


@methods("GET", "POST")
@login_required
def checkin(request: HttpRequest, day: dt.date | None = None) -> HttpResponse:
    patient = _patient(request)
    now = local_now(patient)
    today = now.date()
    jump = _iso_date(request.GET.get("day", "")) if day is None else None
    if jump is not None:  # the "go to another day" box, without a script
        return redirect("journal:checkin_day", day=jump)
    day = day or today
    if day > today:
        messages.error(request, "You cannot check in for a day that has not happened yet.")
        return redirect("journal:checkin")
    symptoms = list(Symptom.objects.filter(patient=patient, active=True))
    initial, source = services.initial_for(patient, day)
    copied_from = _same_as_day(request, day)
    if source == "empty" and copied_from is not None:
        initial, source = services.copy_of(patient, copied_from) or initial, "copied"
    form = CheckInForm(request.POST or None, initial=initial, symptoms=symptoms, day=day, now=now)
    if request.method == "POST" and form.is_valid():
        services.save_checkin(patient, day, form.cleaned_data, form.scores(), by=patient)
        messages.success(request, f"Saved your check-in for {day:%A %-d %B}.")
        return redirect("journal:checkin_day", day=day)
    entry = DailyEntry.objects.filter(patient=patient, day=day).first()
    earlier = (
        DailyEntry.objects.filter(patient=patient, day__lt=day)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    bedtime = patient.profile.bedtime if hasattr(patient, "profile") else None
    context = {
        "form": form,
        "sleep_quality": form.scale("sleep_quality"),
        "stress": form.scale("stress"),
        "day": day,
        "today": today,
        "source": source,
        "entry": entry,
        "copied_from": copied_from,
        "same_as_day": earlier if entry is None else None,
        "before_bedtime": bedtime if day == today and now.time() < bedtime else None,
        "anchors": RATING_ANCHORS,
        "missing_yesterday": day == today
        and local_today(patient, patient.date_joined) < today  # not before the account existed
        and not DailyEntry.objects.filter(
            patient=patient, day=today - dt.timedelta(days=1)
        ).exists(),
        "yesterday": today - dt.timedelta(days=1),
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1) if day < today else None,
    }
    return render(request, "journal/checkin.html", context)


def _iso_date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def _same_as_day(request: HttpRequest, day: dt.date) -> dt.date | None:
    """The earlier day the patient asked to copy with the "same as <day>" button, if valid."""
    source = _iso_date(request.GET.get("same_as", ""))
    return source if source is not None and source < day else None


@methods("GET")
@login_required
def history(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    symptoms = list(Symptom.objects.filter(patient=patient).order_by("-active", "position", "name"))
    chosen = next((s for s in symptoms if str(s.pk) == request.GET.get("symptom")), None)
    chosen = chosen or (symptoms[0] if symptoms else None)
    days = histories.RANGES.get(request.GET.get("range", "1y"), histories.RANGES["1y"])
    end = local_today(patient)
    context = {
        "symptoms": symptoms,
        "chosen": chosen,
        "range": request.GET.get("range", "1y"),
        "recent": DailyEntry.objects.filter(patient=patient).order_by("-day")[:14],
    }
    if chosen is not None:
        context["view"] = histories.history_view(patient, chosen, end, days)
    return render(request, "journal/history.html", context)


@methods("GET")
@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_owned_or_404(request.user, DailyEntry, area=AREA, pk=pk)
    ratings = entry.ratings.select_related("symptom").order_by("symptom__position")
    revisions = EntryRevision.objects.filter(patient=entry.patient, day=entry.day)[:20]
    dose = doses_by_day(entry.patient, [entry.day]).get(entry.day)
    context = {"entry": entry, "ratings": ratings, "revisions": revisions, "dose": dose}
    with timezone.override(patient_zone(entry.patient)):  # change times in the patient's zone
        return render(request, "journal/entry_detail.html", context)


@methods("POST")
@login_required
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_owned_or_404(request.user, DailyEntry, area=AREA, write=True, pk=pk)
    day = entry.day
    services.delete_entry(entry, by=request.user)  # type: ignore[arg-type]
    messages.success(
        request,
        f"The entry for {day:%-d %B %Y} was deleted. Its last version is kept in the history.",
    )
    return redirect(reverse("journal:history"))
