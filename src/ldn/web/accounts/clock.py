"""A patient's own calendar: their time zone and today's date in it.

A check-in, a planned dose and a questionnaire belong to the patient's local day, not UTC's.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from ldn.web.accounts.models import PatientProfile, User


def patient_zone(patient: User) -> zoneinfo.ZoneInfo:
    profile = PatientProfile.objects.filter(user=patient).only("time_zone").first()
    return zoneinfo.ZoneInfo(profile.time_zone if profile else "UTC")


def local_today(patient: User, now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), patient_zone(patient)).date()
