"""Journal pages: check-in, history, a day's entry. Every record is fetched through ldn.web.access."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ldn.journal import RATING_ANCHORS
from ldn.web import access
from ldn.web.accounts.clock import local_now, local_today, patient_zone, profile_of
from ldn.web.journal import history as histories
from ldn.web.journal import services
from ldn.web.journal.forms import CheckInForm
from ldn.web.journal.models import DailyEntry, EntryRevision, Symptom
from ldn.web.journal.queries import doses_by_day
from ldn.web.living import services as living
from ldn.web.methods import methods
from ldn.web.pwa import sync
from ldn.web.pwa import views as pwa_views
from ldn.web.therapy import plans as therapy_plans

AREA = "journal"


@methods("GET", "POST")
@login_required
def checkin(request: HttpRequest, day: dt.date | None = None) -> HttpResponse:
    patient = access.patient_of(request)
    now = local_now(patient)
    today = now.date()
    jump = _iso_date(request.GET.get("day", "")) if day is None else None
    if jump is not None:  # the "go to another day" box, without a script
        return redirect("journal:checkin_day", day=jump)
    day = day or today
    if day > today:
        messages.error(request, "You cannot check in for a day that has not happened yet.")
        return redirect("journal:checkin")
    symptoms = list(access.own_records(patient, Symptom).filter(active=True))
    saved = services.saved_day(patient, day)
    initial, source = services.initial_for(patient, day, therapy_plans.dose_on(patient, day), saved)
    copied_from = _same_as_day(request, day)
    if source == "empty" and copied_from is not None:
        initial, source = services.copy_of(patient, copied_from) or initial, "copied"
    initial["based_on"] = services.day_version(patient, day, saved)
    form = CheckInForm(request.POST or None, initial=initial, symptoms=symptoms, day=day, now=now)
    queued = pwa_views.is_queued_send(request)  # sent later by the offline queue: answer JSON
    if queued and not pwa_views.sent_by(request, patient):
        return pwa_views.queue_answer("other_account", day)
    if request.method == "POST" and form.is_valid():
        based_on = form.cleaned_data["based_on"] if "based_on" in request.POST else None
        outcome = sync.save_once(
            patient,
            day,
            form.cleaned_data,
            form.scores(),
            key=form.cleaned_data["client_key"],
            based_on=based_on,
            by=patient,
        )
        if queued:
            return pwa_views.queue_answer(outcome, day)
        if outcome == "conflict":
            return pwa_views.conflict(request, patient, day, form)
        if outcome in ("duplicate", "discarded"):
            messages.info(request, f"This check-in for {day:%A %-d %B} was already sent.")
        else:
            messages.success(request, f"Saved your check-in for {day:%A %-d %B}.")
        return redirect("journal:checkin_day", day=day)
    if queued:
        return pwa_views.queue_answer("invalid", day)
    entry = saved[0]  # read above; nothing was saved on this path
    earlier = (
        access.own_records(patient, DailyEntry)
        .filter(day__lt=day)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    profile = profile_of(patient)
    bedtime = profile.bedtime if profile else None
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
        and earlier != today - dt.timedelta(days=1),  # the latest day before today
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
    patient = access.patient_of(request)
    symptoms = list(access.own_records(patient, Symptom).order_by("-active", "position", "name"))
    chosen = next((s for s in symptoms if str(s.pk) == request.GET.get("symptom")), None)
    chosen = chosen or (symptoms[0] if symptoms else None)
    days = histories.RANGES.get(request.GET.get("range", "1y"), histories.RANGES["1y"])
    end = local_today(patient)
    context = {
        "symptoms": symptoms,
        "chosen": chosen,
        "range": request.GET.get("range", "1y"),
        "recent": access.own_records(patient, DailyEntry).order_by("-day")[:14],
    }
    if chosen is not None:
        context["view"] = histories.history_view(
            patient, chosen, end, days, living.changes(patient)
        )
    return render(request, "journal/history.html", context)


@methods("GET")
@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_owned_or_404(request.user, DailyEntry, area=AREA, pk=pk)
    ratings = entry.ratings.select_related("symptom").order_by("symptom__position")
    revisions = access.own_records(entry.patient, EntryRevision).filter(day=entry.day)[:20]
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
