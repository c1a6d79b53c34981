"""Saving a check-in that may arrive twice or late: once per device key, never over a newer save.

The journal's one save path (ldn.web.journal.services.save_checkin) does the writing; this
module only decides whether it may run:

- "duplicate": this key was already saved: nothing is written again;
- "discarded": the patient chose the version saved elsewhere: nothing is written;
- "conflict": the day changed since the form was opened (`based_on` is the fingerprint of the
  day then, services.day_version): nothing is written; the patient compares and chooses;
- "saved": written, and the key is recorded in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.db import IntegrityError, transaction

from ldn.web.accounts.models import User
from ldn.web.journal import services
from ldn.web.pwa.models import OfflineCheckin

Outcome = Literal["saved", "duplicate", "discarded", "conflict"]


@transaction.atomic
def save_once(
    patient: User,
    day: dt.date,
    values: dict[str, Any],
    scores: dict[int, int],
    *,
    key: uuid.UUID | None,
    based_on: str | None,
    by: User,
) -> Outcome:
    known = OfflineCheckin.objects.filter(patient=patient, key=key).first() if key else None
    if known is not None:
        return "discarded" if known.outcome == OfflineCheckin.Outcome.DISCARDED else "duplicate"
    if based_on is not None and based_on != services.day_version(patient, day):
        return "conflict"
    if key is not None:
        try:
            with transaction.atomic():  # the unique key stops a second, concurrent send
                OfflineCheckin.objects.create(
                    patient=patient, key=key, day=day, outcome=OfflineCheckin.Outcome.SAVED
                )
        except IntegrityError:
            return "duplicate"
    services.save_checkin(patient, day, values, scores, by=by)
    return "saved"


def discard(patient: User, day: dt.date, key: uuid.UUID) -> bool:
    """Record that the patient kept the version saved elsewhere; False if the key was known."""
    _, created = OfflineCheckin.objects.get_or_create(
        patient=patient,
        key=key,
        defaults={"day": day, "outcome": OfflineCheckin.Outcome.DISCARDED},
    )
    return created
