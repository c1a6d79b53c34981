"""Bedtime push reminders, snoozes and the missed-dose follow-up: what is due, the outbox, delivery.

The same guarantees as the e-mail reminders (ldn.web.therapy.reminders), per device:

1. **Queued exactly once.** A due notification becomes one PushReminder row holding its payload;
   the unique (device, kind, night, seq) is the idempotency key, so however many workers run the
   periodic task, and however often, one row exists per device per night. The row is one INSERT
   in its own transaction: a worker killed before the commit leaves nothing and the next run
   writes it.
2. **Delivered at least once.** A worker leases the row with one conditional UPDATE, hands the
   encrypted message to the push service, then sets `sent_at`. A worker killed before that
   leaves a lease that runs out, and the next run sends the same payload again.
3. **Shown once.** The one window no sender can close (the push service accepted the message,
   the worker died before recording it) sends the same payload twice; it carries the same Topic
   header (a push service replaces an undelivered message with the same topic) and the same
   notification tag (the browser replaces the shown notification), and its single-use token can
   record the dose only once.

Bedtime is the dose time of that evening (ldn.web.living.services.dose_time_on, the bedtime unless
a timing experiment moved it) in the patient's own time zone: the local wall time is turned into
an instant with zoneinfo on each evening, so 22:00 stays 22:00 across daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from ldn.dosing import mg_number
from ldn.web.accounts.clock import patient_zone, profile_of
from ldn.web.accounts.models import User
from ldn.web.living.services import dose_time_on
from ldn.web.push import webpush
from ldn.web.push.models import PushReminder, PushSettings, PushSubscription
from ldn.web.therapy import reminders

log = logging.getLogger(__name__)

# A bedtime reminder still goes out this long after bedtime (a worker that was down for a
# while); later than that the morning follow-up takes over.
BEDTIME_WINDOW = dt.timedelta(hours=3)
# The morning follow-up goes out from the missed-dose cutoff (bedtime + 12 h) for this long.
MORNING_WINDOW = dt.timedelta(hours=6)
SNOOZE = dt.timedelta(minutes=30)
MAX_SNOOZES = 6
MAX_ATTEMPTS = 10
# How long a push service keeps a message for a device that is offline (the Web Push TTL).
TTL_SECONDS = 4 * 60 * 60


def subscribe(
    patient: User, endpoint: str, *, p256dh: str, auth: str, label: str
) -> tuple[PushSubscription, bool]:
    """Register this browser for `patient`; True when it is new. An endpoint belongs to one
    browser profile: whoever subscribes it last receives on it, and what was queued for the
    account before (with its tokens) goes with the old row."""
    with transaction.atomic():
        PushSubscription.objects.filter(endpoint=endpoint).exclude(patient=patient).delete()
        return PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"patient": patient, "p256dh": p256dh, "auth": auth, "label": label},
        )


def settings_for(patient: User) -> PushSettings:
    obj, _ = PushSettings.objects.get_or_create(patient=patient)
    return obj


def bedtime_of(patient: User, night: dt.date) -> dt.datetime:
    """The instant of bedtime on `night`, in the patient's zone (DST-correct)."""
    zone = patient_zone(patient)
    return dt.datetime.combine(night, dose_time_on(patient, night), tzinfo=zone)


def bedtime_night(patient: User, now: dt.datetime) -> dt.date | None:
    """The evening whose bedtime reminder is due at `now` (bedtime <= now < bedtime + window)."""
    local_day = timezone.localtime(now, patient_zone(patient)).date()
    for night in (local_day, local_day - dt.timedelta(days=1)):
        start = bedtime_of(patient, night)
        if start <= now < start + BEDTIME_WINDOW:
            return night
    return None


def morning_night(patient: User, now: dt.datetime) -> dt.date | None:
    """The evening whose missed-dose follow-up is due at `now` (the e-mail's cutoff, then a
    window, so a device added later is not told about an old evening)."""
    profile = profile_of(patient)
    if profile is None:
        return None
    night = reminders.missed_evening(patient, profile, now)
    if now < bedtime_of(patient, night) + reminders.MISSED_CUTOFF + MORNING_WINDOW:
        return night
    return None


def message(kind: str, night: dt.date, dose: float) -> dict[str, object]:
    """What the notification says: title, body and its buttons."""
    evening = f"{night:%A} {night.day} {night:%B}"
    if kind == PushReminder.Kind.MISSED_DOSE:
        title = "No LDN dose logged last night"
        body = (
            f"Did you take {mg_number(dose)} mg on the evening of {evening}? Record it or skip it."
        )
        actions = [("taken", "Taken"), ("skip", "Skipped it")]
    else:
        title = f"Time for your LDN: {mg_number(dose)} mg"
        body = f"Bedtime dose for the evening of {evening}."
        actions = [("taken", "Taken"), ("skip", "Skip"), ("snooze", "Snooze 30 min")]
    return {
        "title": title,
        "body": body,
        "tag": f"ldn-dose-{night.isoformat()}",
        "night": night.isoformat(),
        "actions": [{"action": a, "title": t} for a, t in actions],
    }


def _payload(device: PushSubscription, kind: str, night: dt.date, dose: float) -> str:
    """The message plus a single-use token for its buttons and where they send it."""
    token = reminders.make_taken_token(device.patient, night, device=device.pk)
    return json.dumps(
        {
            **message(kind, night, dose),
            "token": token,
            "act_url": reverse("push:act"),
            "open_url": reverse("therapy:taken", args=[token]),
        }
    )


def queue(
    device: PushSubscription,
    kind: str,
    night: dt.date,
    dose: float,
    not_before: dt.datetime,
    *,
    seq: int = 0,
) -> PushReminder | None:
    """Write the outbox row, or None when it exists already: one INSERT in its own transaction,
    and the unique (device, kind, night, seq) lets exactly one worker create it."""
    try:
        with transaction.atomic():
            return PushReminder.objects.create(
                device=device,
                kind=kind,
                night=night,
                seq=seq,
                not_before=not_before,
                payload=_payload(device, kind, night, dose),
            )
    except IntegrityError:
        return None


def _queued(device: PushSubscription, kind: str, night: dt.date) -> bool:
    return PushReminder.objects.filter(device=device, kind=kind, night=night).exists()


def queue_due(now: dt.datetime) -> int:
    """Write an outbox row for every device whose bedtime or morning notification is due."""
    queued = 0
    patients = User.objects.filter(is_active=True, push_devices__isnull=False).distinct()
    for patient in patients:
        devices = list(PushSubscription.objects.filter(patient=patient).select_related("patient"))
        due = []
        night = bedtime_night(patient, now)
        if night is not None:
            due.append((PushReminder.Kind.BEDTIME, night))
        if settings_for(patient).missed_dose_push:
            morning = morning_night(patient, now)
            if morning is not None:
                due.append((PushReminder.Kind.MISSED_DOSE, morning))
        for kind, day in due:
            dose = reminders.dose_due(patient, day)
            if dose is None:
                continue
            for device in devices:
                if not _queued(device, kind, day) and queue(device, kind, day, dose, now):
                    queued += 1
    return queued


def snooze(link: reminders.TakenLink, now: dt.datetime) -> PushReminder | None:
    """Queue the reminder again on the device that asked, SNOOZE from `now`."""
    device = PushSubscription.objects.filter(pk=link.device, patient=link.patient).first()
    dose = reminders.dose_due(link.patient, link.day)
    if device is None or dose is None:
        return None
    done = PushReminder.objects.filter(
        device=device, kind=PushReminder.Kind.SNOOZE, night=link.day
    ).count()
    if done >= MAX_SNOOZES:
        return None
    return queue(device, PushReminder.Kind.SNOOZE, link.day, dose, now + SNOOZE, seq=done + 1)


def _deliverable(now: dt.datetime) -> QuerySet[PushReminder]:
    """Due, not yet sent, not given up, and nobody holds an unexpired lease on it."""
    return PushReminder.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, not_before__lte=now
    ).filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))


def lease(row: PushReminder, now: dt.datetime) -> bool:
    """Take the delivery lease with one conditional UPDATE: at most one worker gets it."""
    return reminders.take_lease(_deliverable(now), row, now)


def deliver(row: PushReminder) -> bool:
    """Hand the payload to the device's push service, then record it as sent."""
    night = row.night.isoformat()
    try:
        webpush.send(row.device, row.payload, topic=f"ldn-{row.kind}-{night}", ttl=TTL_SECONDS)
    except webpush.Gone:
        log.info("push device %s is gone; removing it", row.device_id)
        row.device.delete()  # its outbox rows go with it
        return False
    except webpush.PushError as exc:
        log.warning("push to device %s failed; the next run retries it: %s", row.device_id, exc)
        PushReminder.objects.filter(pk=row.pk, worker=row.worker).update(
            lease_until=None, last_error=str(exc)[:200]
        )
        return False
    sent = timezone.now()
    PushReminder.objects.filter(pk=row.pk).update(sent_at=sent, payload="", last_error="")
    PushSubscription.objects.filter(pk=row.device_id).update(last_sent_at=sent)
    return True


def deliver_pending(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    for row in _deliverable(now).select_related("device").order_by("pk"):
        if lease(row, now) and deliver(row):
            sent += 1
    return sent


def send_due(now: dt.datetime | None = None) -> int:
    """Queue what is due at `now`, then deliver the outbox; safe from several workers at once."""
    now = now or timezone.now()
    queue_due(now)
    return deliver_pending(now)
