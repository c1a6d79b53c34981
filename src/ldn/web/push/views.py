"""The patient's devices page, subscribing a browser, revoking a device, and a notification's
action (Taken, Skip, Snooze 30 min)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from ldn.web import access
from ldn.web.accounts.clock import local_today, now, patient_zone
from ldn.web.journal.models import DoseLog
from ldn.web.living.services import dose_time_on
from ldn.web.methods import methods
from ldn.web.push import reminders, vapid
from ldn.web.push.forms import ActionForm, PushSettingsForm, SubscriptionForm
from ldn.web.push.models import PushSubscription
from ldn.web.therapy import reminders as therapy_reminders
from ldn.web.therapy.plan_views import patient_of
from ldn.web.therapy.templatetags.therapy import mg


@methods("GET", "POST")
@login_required
def devices(request: HttpRequest) -> HttpResponse:
    patient = patient_of(request)
    obj = reminders.settings_for(patient)
    form = PushSettingsForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Missed-dose follow-up choice saved.")
        return redirect("push:devices")
    tonight = local_today(patient)
    dose = therapy_reminders.dose_due(patient, tonight)
    context = {
        "preview": reminders.message("bedtime", tonight, dose) if dose is not None else None,
        "devices": access.own_records(patient, PushSubscription).order_by("created_at"),
        "form": form,
        "vapid_public_key": vapid.public_key(),
        "email_missed_dose": therapy_reminders.settings_for(patient).email_missed_dose,
        "has_email": bool(patient.email),
        "bedtime": dose_time_on(patient, tonight),
        "zone": patient_zone(patient),
    }
    return render(request, "push/devices.html", context)


def _label(user_agent: str) -> str:
    """ "Chrome on Android" from a User-Agent, for the patient to tell their devices apart."""
    browsers = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome")]
    systems = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    browser = next((name for key, name in browsers if key in user_agent), "")
    if not browser and "Safari/" in user_agent:
        browser = "Safari"
    system = next((name for key, name in systems if key in user_agent), "")
    return " on ".join(part for part in (browser or "Browser", system) if part)


@methods("POST")
@login_required
def subscribe(request: HttpRequest) -> HttpResponse:
    patient = patient_of(request)
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        return JsonResponse(
            {"error": "This browser's subscription was refused: " + "; ".join(errors)}, status=400
        )
    data = form.cleaned_data
    label = data["label"] or _label(request.headers.get("User-Agent", ""))
    # An endpoint belongs to one browser profile: whoever subscribes it last receives on it, and
    # what was queued for the account before (with its tokens) goes with the old row.
    PushSubscription.objects.filter(endpoint=data["endpoint"]).exclude(patient=patient).delete()
    device, created = PushSubscription.objects.update_or_create(
        endpoint=data["endpoint"],
        defaults={
            "patient": patient,
            "p256dh": data["p256dh"],
            "auth": data["auth"],
            "label": label,
        },
    )
    return JsonResponse(
        {"message": f"{device.label} will get your bedtime reminders.", "created": created},
        status=201 if created else 200,
    )


@methods("POST")
@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    device = access.get_owned_or_404(request.user, PushSubscription, area="plan", write=True, pk=pk)
    device.delete()
    messages.success(
        request, f"{device.label or 'The device'} is removed: it gets no more notifications."
    )
    return redirect("push:devices")


RESULTS = {
    "taken": "Recorded: {dose}taken on the evening of {day}.",
    "skip": "Recorded: the dose of the evening of {day} skipped.",
    "snooze": "Snoozed: the reminder comes back in 30 minutes.",
}


@csrf_exempt  # the single-use signed token, bound to the signed-in patient, is the CSRF guard
@never_cache
@methods("POST")
def act(request: HttpRequest) -> HttpResponse:
    """A notification's button, sent by the service worker with the session cookie."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to LDN Companion, then answer again."}, status=401)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "This reminder's answer was not understood."}, status=400)
    action = form.cleaned_data["action"]
    status = {"taken": DoseLog.Status.TAKEN, "skip": DoseLog.Status.MISSED}.get(action)
    try:
        link = therapy_reminders.use_taken_token(
            form.cleaned_data["token"],
            status,
            owner=request.user,  # type: ignore[arg-type]
        )
    except therapy_reminders.LinkError as exc:
        used = exc.code == "used"
        message = "This reminder was already answered; nothing was changed." if used else str(exc)
        return JsonResponse({"error": message}, status=exc.status)
    if action == "snooze" and reminders.snooze(link, now()) is None:
        return JsonResponse(
            {"message": "No snooze: the dose is no longer due, or it was snoozed too often."}
        )
    day = f"{link.day:%A} {link.day.day} {link.day:%B}"
    dose = f"{mg(link.dose_mg)} mg " if link.dose_mg else ""
    return JsonResponse({"message": RESULTS[action].format(dose=dose, day=day)})
