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
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from ldn.web.accounts.models import PatientProfile, User


def now() -> dt.datetime:
    """The current time, moved by settings.LDN_CLOCK_SHIFT (zero except in tests and DEBUG)."""
    return timezone.now() + settings.LDN_CLOCK_SHIFT


def profile_of(patient: User) -> PatientProfile | None:
    """The patient's profile, read once per user object (a request's user is a fresh object, as
    Django's own one-to-one caches assume); `forget_zone` after changing it on the same object.
    For reading only: a view that changes the profile fetches its own copy."""
    if "_ldn_profile" not in patient.__dict__:
        patient.__dict__["_ldn_profile"] = PatientProfile.objects.filter(user=patient).first()
    profile: PatientProfile | None = patient.__dict__["_ldn_profile"]
    return profile


def patient_zone(patient: User) -> zoneinfo.ZoneInfo:
    profile = profile_of(patient)
    return zoneinfo.ZoneInfo(profile.time_zone if profile else "UTC")


def forget_zone(patient: User) -> None:
    """Drop the cached profile (and so the zone) after the profile changed."""
    patient.__dict__.pop("_ldn_profile", None)


def local_now(patient: User, at: dt.datetime | None = None) -> dt.datetime:
    return timezone.localtime(at or now(), patient_zone(patient))


def local_today(patient: User, now: dt.datetime | None = None) -> dt.date:
    return local_now(patient, now).date()


def local_todays(patient_ids: Iterable[int], at: dt.datetime | None = None) -> dict[int, dt.date]:
    """Each patient's own today (one query for their zones): a batch of `local_today`."""
    ids = list(patient_ids)
    zones = dict(PatientProfile.objects.filter(user_id__in=ids).values_list("user_id", "time_zone"))
    moment = at or now()
    return {
        pid: timezone.localtime(moment, zoneinfo.ZoneInfo(zones.get(pid) or "UTC")).date()
        for pid in ids
    }


def zone_today(zone: str, at: dt.datetime | None = None) -> dt.date:
    """Today in a named zone, for a patient whose profile does not exist yet (the demo patient
    is created with its zone and needs its today first)."""
    return timezone.localtime(at or now(), zoneinfo.ZoneInfo(zone)).date()


def utc_today(at: dt.datetime | None = None) -> dt.date:
    """The date in UTC: a stamp for when a stored summary was last computed (it is nobody's own
    day, never a patient's today; use `local_today` for that)."""
    return (at or now()).astimezone(dt.UTC).date()
