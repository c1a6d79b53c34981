"""Reminders: the private calendar feed, one-tap "taken" links, and e-mails sent once.

Sending is claim-then-send: a worker first inserts a SentReminder row for (patient, kind, day);
the unique constraint lets exactly one worker win, so two workers running the same periodic task
send one e-mail. A failed send deletes its claim so the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import secrets
import socket
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ldn.dosing import build_calendar
from ldn.dosing.ical import PRODID
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
# A dose evening counts as missed when nothing is logged this long after bedtime.
MISSED_CUTOFF = dt.timedelta(hours=12)
FOLLOW_UP_NOTICE = dt.timedelta(hours=24)


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
    """The calendar for a feed token, built by the core from the current plan; None if unknown."""
    obj = ReminderSettings.objects.filter(feed_token=token).select_related("patient").first()
    if obj is None:
        return None
    profile = PatientProfile.objects.filter(user=obj.patient).first()
    tz = profile.time_zone if profile else "UTC"
    bedtime = profile.bedtime if profile else dt.time(22, 0)
    row = plans.current_version(obj.patient)
    if row is None:
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("x-wr-calname", "LDN doses")
        return cal.to_ical()
    feed = build_calendar(
        plans.to_core(row),
        bedtime,
        tz,
        now=now or timezone.now(),
        uid_prefix=f"ldn-{obj.patient_id}-v{row.number}",
    )
    return feed.ics


# One-tap "taken" links ----------------------------------------------------------------------


def make_taken_token(patient: User, day: dt.date) -> str:
    payload = {"p": patient.pk, "d": day.isoformat(), "n": secrets.token_hex(8)}
    return signing.TimestampSigner(salt=TAKEN_SALT).sign_object(payload)


class LinkError(Exception):
    """Why a taken link cannot be used; `status` is the HTTP status the page answers with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class TakenLink:
    patient: User
    day: dt.date
    dose_mg: float | None
    digest: str


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
        raise LinkError("This link has already been used; the dose is recorded.", 410)
    day = dt.date.fromisoformat(data["d"])
    plan = plans.current_plan(patient)
    return TakenLink(patient, day, plan.dose_on(day) if plan else None, digest)


def use_taken_token(token: str) -> TakenLink:
    """Log the dose as taken; the unique digest makes a second use fail, even concurrently."""
    link = read_taken_token(token)
    try:
        with transaction.atomic():
            UsedTakenLink.objects.create(patient=link.patient, digest=link.digest, day=link.day)
            DoseLog.objects.update_or_create(
                patient=link.patient,
                day=link.day,
                defaults={
                    "status": DoseLog.Status.TAKEN,
                    "amount_mg": Decimal(str(link.dose_mg)) if link.dose_mg else None,
                },
            )
    except IntegrityError:
        raise LinkError("This link has already been used; the dose is recorded.", 410) from None
    return link


# E-mails --------------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return f"{settings.LDN_BASE_URL.rstrip('/')}{path}"


def claim(patient: User, kind: str, day: dt.date) -> SentReminder | None:
    """Insert the (patient, kind, day) row, or None when another worker already has it."""
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                patient=patient, kind=kind, day=day, worker=f"{socket.gethostname()}:{os.getpid()}"
            )
    except IntegrityError:
        return None


def _send(row: SentReminder, subject: str, template: str, context: dict[str, object]) -> bool:
    with timezone.override(patient_zone(row.patient)):
        body = render_to_string(template, context)
    try:
        send_mail(subject, body, None, [row.patient.email])
    except Exception:
        log.exception("reminder e-mail failed; releasing the claim so the next run retries")
        row.delete()
        return False
    row.sent_at = timezone.now()
    row.save(update_fields=["sent_at"])
    return True


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


def send_missed_dose(patient: User, profile: PatientProfile, now: dt.datetime) -> bool:
    plan = plans.current_plan(patient)
    if plan is None:
        return False
    day = missed_evening(patient, profile, now)
    dose = plan.dose_on(day)
    if living.reminders_paused_on(patient, day):  # the prescriber's surgery instruction
        return False
    if dose is None or DoseLog.objects.filter(patient=patient, day=day).exists():
        return False
    row = claim(patient, SentReminder.Kind.MISSED_DOSE, day)
    if row is None:
        return False
    link = absolute(reverse("therapy:taken", args=[make_taken_token(patient, day)]))
    context = {**_common(patient, profile), "day": day, "dose_mg": dose, "taken_url": link}
    subject = f"LDN Companion: no dose logged for {day:%A %-d %B}"
    return _send(row, subject, "therapy/email/missed_dose.txt", context)


def send_follow_up(patient: User, profile: PatientProfile, now: dt.datetime) -> bool:
    soon = FollowUp.objects.filter(patient=patient, when__gt=now, when__lte=now + FOLLOW_UP_NOTICE)
    first = soon.order_by("when").first()
    if first is None:
        return False
    zone = patient_zone(patient)
    day = timezone.localtime(first.when, zone).date()
    row = claim(patient, SentReminder.Kind.FOLLOW_UP, day)
    if row is None:
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
    return _send(row, subject, "therapy/email/follow_up.txt", context)


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Everything due at `now`; safe to run from several workers at once. Returns e-mails sent."""
    now = now or timezone.now()
    sent = 0
    wanted = ReminderSettings.objects.filter(patient__is_active=True).exclude(patient__email="")
    for obj in wanted.select_related("patient"):
        profile = PatientProfile.objects.filter(user=obj.patient).first()
        if profile is None:
            continue
        if obj.email_missed_dose and send_missed_dose(obj.patient, profile, now):
            sent += 1
        if obj.email_follow_up and send_follow_up(obj.patient, profile, now):
            sent += 1
    return sent
