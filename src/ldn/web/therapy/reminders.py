"""Reminders: the private calendar feed, one-tap "taken" links, and e-mails sent through an outbox.

What is guaranteed, and where:

1. **Queued exactly once.** A due reminder becomes one SentReminder row (the outbox) holding the
   rendered message; the unique (patient, kind, day) is the idempotency key, so however many
   workers run the periodic task, and however often, one row exists per reminder. The row is one
   INSERT in its own transaction: a worker killed before the commit leaves nothing, and the next
   run writes it.
2. **Delivered at least once.** A worker takes a lease on the row with one conditional UPDATE
   (`lease_until`, LDN_REMINDER_LEASE_SECONDS), hands the message to the e-mail server, then sets
   `sent_at`. A worker killed anywhere before `sent_at` is committed leaves a lease that runs out;
   the next run (every 15 minutes) delivers the same stored message. A failed send releases the
   lease at once. After MAX_ATTEMPTS attempts the row is left with its last error.
3. **No duplicate from this application.** Two workers never hold a lease on the same row at once
   and a row with `sent_at` is never sent again, so the only way a reminder reaches the e-mail
   server twice is the one no sender can close: the server accepted the message and the worker
   died before recording it (the window between the SMTP "250" reply and one UPDATE). The second
   copy then carries the same Message-ID as the first, so a mail store or client that removes
   duplicates by Message-ID shows it once. True exactly-once delivery to an outside SMTP server is
   not possible; this is exactly-once in the outbox and at-least-once on the wire.

The lease must be longer than a send can take: EMAIL_TIMEOUT bounds each SMTP step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import secrets
import socket
import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ldn.dosing import Appointment, DayReminder, build_calendar
from ldn.dosing.thyroid import LAB_DAYS, lab_reminder_due
from ldn.web.accounts.clock import patient_zone
from ldn.web.accounts.models import PatientProfile, User
from ldn.web.journal.models import DoseLog
from ldn.web.living import services as living
from ldn.web.therapy import plans
from ldn.web.therapy.models import (
    FollowUp,
    ReminderSettings,
    SentReminder,
    UsedTakenLink,
    new_feed_token,
)

log = logging.getLogger(__name__)

TAKEN_SALT = "ldn.therapy.taken"
TAKEN_MAX_AGE = dt.timedelta(hours=36)
USED = "This link has already been used; the dose is recorded."
# A dose evening counts as missed when nothing is logged this long after bedtime.
MISSED_CUTOFF = dt.timedelta(hours=12)
FOLLOW_UP_NOTICE = dt.timedelta(hours=24)
# The calendar feed keeps follow-up appointments this long after they took place.
FEED_APPOINTMENTS_FROM = dt.timedelta(days=30)
# A reminder still unsent after this many tries is left in the outbox with its last error.
MAX_ATTEMPTS = 10


def settings_for(patient: User) -> ReminderSettings:
    obj, _ = ReminderSettings.objects.get_or_create(patient=patient)
    return obj


def rotate_feed_token(patient: User) -> ReminderSettings:
    """Revoke the feed URL: the old token stops working at once."""
    obj = settings_for(patient)
    obj.feed_token = new_feed_token()
    obj.feed_token_created_at = timezone.now()
    obj.save(update_fields=["feed_token", "feed_token_created_at"])
    return obj


def feed_ics(token: str, now: dt.datetime | None = None) -> bytes | None:
    """The calendar for a feed token, built by the core from the current plan and the follow-up
    appointments (from 30 days back); None if the token is unknown."""
    obj = ReminderSettings.objects.filter(feed_token=token).select_related("patient").first()
    if obj is None:
        return None
    now = now or timezone.now()
    profile = PatientProfile.objects.filter(user=obj.patient).first()
    tz = profile.time_zone if profile else "UTC"
    bedtime = profile.bedtime if profile else dt.time(22, 0)
    row = plans.current_version(obj.patient)
    appointments = [
        Appointment(when=f.when, note=f.note, uid=f"ldn-{obj.patient_id}-follow-up-{f.pk}")
        for f in FollowUp.objects.filter(
            patient=obj.patient, when__gte=now - FEED_APPOINTMENTS_FROM
        )
    ]
    feed = build_calendar(
        plans.to_core(row) if row else None,
        bedtime,
        tz,
        now=now,
        uid_prefix=f"ldn-{obj.patient_id}-v{row.number if row else 0}",
        appointments=appointments,
        reminders=thyroid_labs_in_feed(obj),
    )
    return feed.ics


THYROID_LABS_SUMMARY = "Discuss thyroid tests with your thyroid prescriber"
THYROID_LABS_TEXT = (
    "LDN may change how much thyroid hormone you need. Our suggestion (no source gives an "
    "interval): discuss your thyroid tests (TSH, free T4) with whoever prescribes your thyroid "
    "hormone every 2 to 3 months while you adjust LDN. Log a result in LDN Companion and the "
    "next reminder counts from it."
)


def thyroid_labs_in_feed(obj: ReminderSettings) -> tuple[DayReminder, ...]:
    """The labs reminder every LAB_DAYS from the last logged test (or the first dose), when the
    thyroid co-watch applies and the patient has not turned it off."""
    anchor = living.lab_reminder_anchor(obj.patient) if obj.feed_thyroid_labs else None
    if anchor is None:
        return ()
    return (
        DayReminder(
            uid=f"ldn-{obj.patient_id}-thyroid-labs-{anchor.isoformat()}",
            first=anchor + dt.timedelta(days=LAB_DAYS),
            every_days=LAB_DAYS,
            summary=THYROID_LABS_SUMMARY,
            description=THYROID_LABS_TEXT,
        ),
    )


# One-tap "taken" links ----------------------------------------------------------------------


def make_taken_token(patient: User, day: dt.date, device: int | None = None) -> str:
    """A signed single-use token for the dose of `day`; `device` names the push device that
    carries it (a snooze goes back to that device)."""
    payload: dict[str, object] = {"p": patient.pk, "d": day.isoformat(), "n": secrets.token_hex(8)}
    if device is not None:
        payload["s"] = device
    return signing.TimestampSigner(salt=TAKEN_SALT).sign_object(payload)


class LinkError(Exception):
    """Why a taken link cannot be used; `status` is the HTTP status the page answers with."""

    def __init__(self, message: str, status: int, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class TakenLink:
    patient: User
    day: dt.date
    dose_mg: float | None
    digest: str
    device: int | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def read_taken_token(token: str) -> TakenLink:
    signer = signing.TimestampSigner(salt=TAKEN_SALT)
    try:
        data = signer.unsign_object(token, max_age=TAKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkError(
            "This link has expired. Log the dose in your check-in instead.", 410
        ) from None
    except signing.BadSignature:
        raise LinkError("This link is not valid.", 404) from None
    patient = User.objects.filter(pk=data.get("p"), role=User.Role.PATIENT).first()
    if patient is None:
        raise LinkError("This link is not valid.", 404)
    digest = _digest(token)
    if UsedTakenLink.objects.filter(digest=digest).exists():
        raise LinkError(USED, 410, "used")
    day = dt.date.fromisoformat(data["d"])
    plan = plans.current_plan(patient)
    device = data.get("s")
    dose = plan.dose_on(day) if plan else None
    return TakenLink(patient, day, dose, digest, device if isinstance(device, int) else None)


def use_taken_token(
    token: str,
    status: str | None = DoseLog.Status.TAKEN,
    *,
    owner: User | None = None,
) -> TakenLink:
    """Spend the token and log the dose with `status` (None: spend it only, e.g. a snooze).

    The unique digest makes a second use fail, even concurrently; `owner`, when given, must be
    the token's patient (the signed-in account of a notification's action).
    """
    link = read_taken_token(token)
    if owner is not None and owner.pk != link.patient.pk:
        raise LinkError("This reminder belongs to another account: sign in as its owner.", 403)
    try:
        with transaction.atomic():
            UsedTakenLink.objects.create(patient=link.patient, digest=link.digest, day=link.day)
            if status is not None:
                taken = status == DoseLog.Status.TAKEN
                DoseLog.objects.update_or_create(
                    patient=link.patient,
                    day=link.day,
                    defaults={
                        "status": status,
                        "amount_mg": Decimal(str(link.dose_mg)) if taken and link.dose_mg else None,
                    },
                )
    except IntegrityError:
        raise LinkError(USED, 410, "used") from None
    return link


# E-mails --------------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return f"{settings.LDN_BASE_URL.rstrip('/')}{path}"


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:80]


def already_queued(patient: User, kind: str, day: dt.date) -> bool:
    return SentReminder.objects.filter(patient=patient, kind=kind, day=day).exists()


def queue(
    patient: User,
    kind: str,
    day: dt.date,
    subject: str,
    template: str,
    context: dict[str, object],
) -> SentReminder | None:
    """Write the outbox row with the rendered message, or None when it exists already.

    One INSERT in its own transaction: the unique (patient, kind, day) lets exactly one worker
    create it, and a worker that dies before the commit leaves nothing behind.
    """
    with timezone.override(patient_zone(patient)):
        body = render_to_string(template, context)
    domain = settings.LDN_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                patient=patient,
                kind=kind,
                day=day,
                recipient=patient.email,
                subject=subject,
                body=body,
                message_id=f"<reminder.{secrets.token_hex(16)}@{domain or 'localhost'}>",
            )
    except IntegrityError:
        return None


def _deliverable(now: dt.datetime) -> QuerySet[SentReminder]:
    """Not yet sent, not given up, and nobody holds an unexpired lease on it."""
    return SentReminder.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, recipient__gt=""
    ).filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))


def lease(row: SentReminder, now: dt.datetime) -> bool:
    """Take the delivery lease with one conditional UPDATE: at most one worker gets it."""
    return take_lease(_deliverable(now), row, now)


def take_lease(deliverable: QuerySet[Any], row: Any, now: dt.datetime) -> bool:
    """Lease `row` if it is still in `deliverable` (an outbox's unsent, unleased rows): one
    conditional UPDATE, so at most one worker gets it. Used by the e-mail and push outboxes."""
    worker = _worker_name()
    taken = deliverable.filter(pk=row.pk).update(
        lease_until=now + settings.LDN_REMINDER_LEASE,
        claimed_at=now,
        worker=worker,
        attempts=F("attempts") + 1,
    )
    if taken:
        row.worker = worker
    return taken == 1


def deliver(row: SentReminder) -> bool:
    """Hand the stored message to the e-mail server, then record it as sent."""
    message = EmailMessage(
        row.subject, row.body, None, [row.recipient], headers={"Message-ID": row.message_id}
    )
    try:
        message.send()
    except Exception as exc:
        log.exception("reminder e-mail failed; the next run retries it")
        SentReminder.objects.filter(pk=row.pk, worker=row.worker).update(
            lease_until=None, last_error=f"{type(exc).__name__}: {exc}"[:200]
        )
        return False
    SentReminder.objects.filter(pk=row.pk).update(sent_at=timezone.now(), body="", last_error="")
    return True


def deliver_pending(now: dt.datetime | None = None) -> int:
    """Send every queued reminder that nobody is sending: new ones and ones a dead worker left."""
    now = now or timezone.now()
    sent = 0
    for row in _deliverable(now).order_by("pk"):
        if lease(row, now) and deliver(row):
            sent += 1
    return sent


def missed_evening(patient: User, profile: PatientProfile, now: dt.datetime) -> dt.date:
    """The latest dose evening whose cutoff (bedtime + MISSED_CUTOFF) has passed."""
    local = timezone.localtime(now, patient_zone(patient))
    day = local.date()
    while True:
        bedtime = dt.datetime.combine(day, living.dose_time_on(patient, day), tzinfo=local.tzinfo)
        if bedtime + MISSED_CUTOFF <= local:
            return day
        day -= dt.timedelta(days=1)


def _common(patient: User, profile: PatientProfile) -> dict[str, object]:
    return {
        "patient": patient,
        "profile": profile,
        "settings_url": absolute(reverse("therapy:reminders")),
        "checkin_url": absolute(reverse("journal:checkin")),
    }


def dose_due(patient: User, day: dt.date) -> float | None:
    """The dose a reminder for `day` is about, or None when no reminder should go out: no plan,
    the plan ended or paused that day (a procedure's pause included), or a dose already logged."""
    plan = plans.current_plan(patient)
    dose = plan.dose_on(day) if plan else None
    if dose is None:
        return None
    if DoseLog.objects.filter(patient=patient, day=day).exists():
        return None
    return dose


def send_missed_dose(patient: User, profile: PatientProfile, now: dt.datetime) -> bool:
    day = missed_evening(patient, profile, now)
    dose = dose_due(patient, day)
    if dose is None or already_queued(patient, SentReminder.Kind.MISSED_DOSE, day):
        return False
    link = absolute(reverse("therapy:taken", args=[make_taken_token(patient, day)]))
    context = {**_common(patient, profile), "day": day, "dose_mg": dose, "taken_url": link}
    subject = f"LDN Companion: no dose logged for {day:%A %-d %B}"
    template = "therapy/email/missed_dose.txt"
    return (
        queue(patient, SentReminder.Kind.MISSED_DOSE, day, subject, template, context) is not None
    )


def send_follow_up(patient: User, profile: PatientProfile, now: dt.datetime) -> bool:
    soon = FollowUp.objects.filter(patient=patient, when__gt=now, when__lte=now + FOLLOW_UP_NOTICE)
    first = soon.order_by("when").first()
    if first is None:
        return False
    zone = patient_zone(patient)
    day = timezone.localtime(first.when, zone).date()
    if already_queued(patient, SentReminder.Kind.FOLLOW_UP, day):
        return False
    today = timezone.localtime(now, zone).date()
    plan = plans.current_plan(patient)
    dose = plan.dose_on(today) if plan else None
    context = {
        **_common(patient, profile),
        "appointments": [
            (timezone.localtime(f.when, zone), f.note)
            for f in soon.order_by("when")
            if timezone.localtime(f.when, zone).date() == day
        ],
        "today": today,
        "dose_mg": dose,
        "taken_url": absolute(reverse("therapy:taken", args=[make_taken_token(patient, today)]))
        if dose is not None
        else None,
    }
    subject = f"LDN Companion: follow-up appointment on {day:%A %-d %B}"
    template = "therapy/email/follow_up.txt"
    return queue(patient, SentReminder.Kind.FOLLOW_UP, day, subject, template, context) is not None


def send_thyroid_labs(patient: User, profile: PatientProfile, now: dt.datetime) -> bool:
    """Once per reminder day (every LAB_DAYS from the last logged test, else the first dose)."""
    anchor = living.lab_reminder_anchor(patient)
    if anchor is None:
        return False
    day = lab_reminder_due(anchor, timezone.localtime(now, patient_zone(patient)).date())
    if day is None or already_queued(patient, SentReminder.Kind.THYROID_LABS, day):
        return False
    context = {
        **_common(patient, profile),
        "text": THYROID_LABS_TEXT,
        "last": living.lab_status(patient, day).last,
        "thyroid_url": absolute(reverse("living:thyroid")),
    }
    subject = f"LDN Companion: {THYROID_LABS_SUMMARY.lower()}?"
    template = "therapy/email/thyroid_labs.txt"
    return (
        queue(patient, SentReminder.Kind.THYROID_LABS, day, subject, template, context) is not None
    )


def queue_due_reminders(now: dt.datetime) -> int:
    """Write an outbox row for every reminder due at `now`. Returns how many were new."""
    queued = 0
    wanted = ReminderSettings.objects.filter(patient__is_active=True).exclude(patient__email="")
    for obj in wanted.select_related("patient"):
        profile = PatientProfile.objects.filter(user=obj.patient).first()
        if profile is None:
            continue
        if obj.email_missed_dose and send_missed_dose(obj.patient, profile, now):
            queued += 1
        if obj.email_follow_up and send_follow_up(obj.patient, profile, now):
            queued += 1
        if obj.email_thyroid_labs and send_thyroid_labs(obj.patient, profile, now):
            queued += 1
    return queued


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Queue what is due at `now`, then deliver the outbox; safe from several workers at once.

    Returns the e-mails this call handed to the e-mail server.
    """
    queue_due_reminders(now or timezone.now())
    return deliver_pending()  # leases are taken on the real clock, whatever `now` was
