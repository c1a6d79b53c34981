"""Reminder settings, the private calendar feed, follow-ups and the one-tap "taken" link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ldn.web import access
from ldn.web.accounts.clock import patient_zone
from ldn.web.accounts.models import PatientProfile
from ldn.web.journal.models import DoseLog
from ldn.web.methods import methods
from ldn.web.therapy import qr, reminders
from ldn.web.therapy.forms import BedtimeForm, EmailRemindersForm, FollowUpForm
from ldn.web.therapy.models import FollowUp
from ldn.web.therapy.plan_views import patient_of


@methods("GET", "POST")
@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    patient = patient_of(request)
    profile, _ = PatientProfile.objects.get_or_create(user=patient)
    obj = reminders.settings_for(patient)
    zone = patient_zone(patient)
    which = request.POST.get("form") if request.method == "POST" else None
    bedtime = BedtimeForm(request.POST if which == "bedtime" else None, instance=profile)
    emails = EmailRemindersForm(request.POST if which == "emails" else None, instance=obj)
    with timezone.override(zone):
        follow_up = FollowUpForm(request.POST if which == "follow_up" else None)
        if which == "bedtime" and bedtime.is_valid():
            profile.save(update_fields=["bedtime"])
            messages.success(
                request, f"Bedtime set to {profile.bedtime:%H:%M}; the feed follows it."
            )
            return redirect("therapy:reminders")
        if which == "emails" and emails.is_valid():
            emails.save()
            messages.success(request, "E-mail reminder choices saved.")
            return redirect("therapy:reminders")
        if which == "follow_up" and follow_up.is_valid():
            item = follow_up.save(commit=False)
            item.patient, item.created_by = patient, patient
            item.save()
            messages.success(request, "Follow-up appointment added.")
            return redirect("therapy:reminders")
    feed_url = request.build_absolute_uri(reverse("therapy:feed", args=[obj.feed_token]))
    context = {
        "profile": profile,
        "bedtime_form": bedtime,
        "emails_form": emails,
        "follow_up_form": follow_up,
        "follow_ups": [
            (f, f.when) for f in FollowUp.objects.filter(patient=patient, when__gte=timezone.now())
        ],
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        "qr_svg": qr.svg(feed_url),
        "has_email": bool(patient.email),
    }
    with timezone.override(zone):
        return render(request, "therapy/reminders.html", context)


@methods("POST")
@login_required
def feed_rotate(request: HttpRequest) -> HttpResponse:
    reminders.rotate_feed_token(patient_of(request))
    messages.success(
        request,
        "New calendar link made. The old link no longer works: subscribe again with this one.",
    )
    return redirect("therapy:reminders")


@methods("POST")
@login_required
def follow_up_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_owned_or_404(request.user, FollowUp, area="plan", write=True, pk=pk)
    item.delete()
    messages.success(request, "Follow-up appointment removed.")
    return redirect("therapy:reminders")


@methods("GET")
@never_cache
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design: the unguessable token is the credential; revoking it makes this 404."""
    ics = reminders.feed_ics(token)
    if ics is None:
        raise Http404("No such calendar.")
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ldn-doses.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@methods("GET", "POST")
@never_cache
def taken(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm page (GET) then log (POST): mail scanners open links, so a GET must not log."""
    skipped = request.POST.get("answer") == "skip"
    status = DoseLog.Status.MISSED if skipped else DoseLog.Status.TAKEN
    try:
        link = reminders.use_taken_token(token, status) if request.method == "POST" else None
        link = link or reminders.read_taken_token(token)
    except reminders.LinkError as exc:
        return render(request, "therapy/taken.html", {"error": str(exc)}, status=exc.status)
    done = request.method == "POST"
    context = {"link": link, "done": done, "token": token, "skipped": skipped}
    return render(request, "therapy/taken.html", context)
