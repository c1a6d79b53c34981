"""A patient's own calendar: their time zone and today's date in it, and the one clock seam.

A check-in, a planned dose and a questionnaire belong to the patient's local day, not UTC's.
`now()` is the only place the web layer asks for the current time on a patient's behalf: a test
(or a DEBUG development server, settings.LDN_CLOCK_SHIFT_DAYS) moves it forward to walk through
90 days without sleeping. Settings refuse a shift outside DEBUG, so production runs on the real
clock.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone

from ldn.web.accounts.models import PatientProfile, User


def now() -> dt.datetime:
    """The current time, moved by settings.LDN_CLOCK_SHIFT (zero except in tests and DEBUG)."""
    return timezone.now() + settings.LDN_CLOCK_SHIFT


def patient_zone(patient: User) -> zoneinfo.ZoneInfo:
    """The patient's zone, read once per user object (a request's user is a fresh object, as
    Django's own one-to-one caches assume); `forget_zone` after changing it on the same object."""
    cached = patient.__dict__.get("_ldn_zone")
    if cached is None:
        profile = PatientProfile.objects.filter(user=patient).only("time_zone").first()
        cached = patient.__dict__["_ldn_zone"] = zoneinfo.ZoneInfo(
            profile.time_zone if profile else "UTC"
        )
    return cached


def forget_zone(patient: User) -> None:
    patient.__dict__.pop("_ldn_zone", None)


def local_now(patient: User, at: dt.datetime | None = None) -> dt.datetime:
    return timezone.localtime(at or now(), patient_zone(patient))


def local_today(patient: User, now: dt.datetime | None = None) -> dt.date:
    return local_now(patient, now).date()
