"""Writing a day's journal: one transaction per save, with the previous state kept as a revision."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.db import transaction

from ldn.web.accounts.clock import patient_zone
from ldn.web.accounts.models import User
from ldn.web.journal.models import (
    DailyEntry,
    DoseLog,
    EntryRevision,
    Symptom,
    SymptomRating,
)
from ldn.web.journal.signals import journal_changed

ENTRY_FIELDS = (
    "side_effects",
    "side_effect_other",
    "sleep_hours",
    "sleep_quality",
    "stress",
    "exercise_minutes",
    "water_litres",
    "alcohol_units",
    "diet_notes",
    "tags",
    "therapies",
    "cycle_day",
    "notes",
)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    return value


UNREAD: Any = object()  # `snapshot(dose=...)` not given: read it


def snapshot(entry: DailyEntry, dose: DoseLog | None = UNREAD) -> dict[str, Any]:
    """A JSON-safe picture of an entry, its ratings and that day's dose (read here unless
    given), for the history."""
    data = {field: _plain(getattr(entry, field)) for field in ENTRY_FIELDS}
    data["day"] = entry.day.isoformat()
    data["ratings"] = {r.symptom.name: r.score for r in entry.ratings.select_related("symptom")}
    if dose is UNREAD:
        dose = DoseLog.objects.filter(patient=entry.patient_id, day=entry.day).first()
    data["dose"] = (
        {
            "status": dose.status,
            "amount_mg": _plain(dose.amount_mg),
            "taken_at": _plain(dose.taken_at),
        }
        if dose
        else None
    )
    return data


SavedDay = tuple["DailyEntry | None", "DoseLog | None"]


def saved_day(patient: User, day: dt.date) -> SavedDay:
    """What is saved for `day`: its entry and its dose log, each None when there is none."""
    return (
        DailyEntry.objects.filter(patient=patient, day=day).first(),
        DoseLog.objects.filter(patient=patient, day=day).first(),
    )


def day_version(patient: User, day: dt.date, saved: SavedDay | None = None) -> str:
    """A fingerprint of what is saved for `day` (entry, ratings, dose); "" when nothing is.

    A form carries the fingerprint of the day it was opened on; a save arriving with another
    one (a check-in made offline while the day was saved elsewhere) is shown to the patient
    to choose instead of overwriting (ldn.web.pwa.sync). `saved`: `saved_day()` when already read.
    """
    entry, dose = saved if saved is not None else saved_day(patient, day)
    if entry is not None:
        state: dict[str, Any] = snapshot(entry, dose)
    else:
        if dose is None:
            return ""
        state = {"dose": [dose.status, _plain(dose.amount_mg), _plain(dose.taken_at)]}
    encoded = json.dumps(state, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


@transaction.atomic
def save_checkin(
    patient: User,
    day: dt.date,
    values: dict[str, Any],
    scores: dict[int, int],
    *,
    by: User,
) -> DailyEntry:
    """Create or replace the entry for `day`; the old version goes to EntryRevision."""
    entry = DailyEntry.objects.select_for_update().filter(patient=patient, day=day).first()
    action = EntryRevision.Action.CREATED
    before = None
    if entry is not None:
        action, before = EntryRevision.Action.EDITED, snapshot(entry)
    else:
        entry = DailyEntry(patient=patient, day=day)
    for field in ENTRY_FIELDS:
        setattr(entry, field, values.get(field, [] if field in ("tags", "therapies") else None))
    for field in ("side_effect_other", "diet_notes", "notes"):
        entry.__dict__[field] = values.get(field) or ""
    entry.side_effects = list(values.get("side_effects") or [])
    entry.save()

    entry.ratings.all().delete()
    own = set(Symptom.objects.filter(patient=patient, pk__in=scores).values_list("pk", flat=True))
    SymptomRating.objects.bulk_create(
        SymptomRating(entry=entry, symptom_id=sid, score=score)
        for sid, score in scores.items()
        if sid in own
    )
    _save_dose(patient, day, values)
    EntryRevision.objects.create(
        patient=patient, day=day, action=action, before=before, changed_by=by
    )
    journal_changed.send(sender=DailyEntry, patient_id=patient.pk, day=day)
    return entry


def _save_dose(patient: User, day: dt.date, values: dict[str, Any]) -> None:
    status = values.get("dose_status") or "none"  # unanswered: no dose is recorded
    if status == "none":
        DoseLog.objects.filter(patient=patient, day=day).delete()
        return
    taken_at = None
    if status == "taken" and values.get("dose_time"):
        taken_at = dt.datetime.combine(day, values["dose_time"], tzinfo=patient_zone(patient))
    DoseLog.objects.update_or_create(
        patient=patient,
        day=day,
        defaults={
            "status": status,
            "amount_mg": values.get("dose_mg"),
            "taken_at": taken_at,
            "form": values.get("dose_form", ""),
        },
    )


@transaction.atomic
def delete_entry(entry: DailyEntry, *, by: User) -> None:
    EntryRevision.objects.create(
        patient=entry.patient,
        day=entry.day,
        action=EntryRevision.Action.DELETED,
        before=snapshot(entry),
        changed_by=by,
    )
    patient_id = entry.patient_id
    DoseLog.objects.filter(patient=entry.patient, day=entry.day).delete()
    entry.delete()
    journal_changed.send(sender=DailyEntry, patient_id=patient_id, day=entry.day)


def initial_for(
    patient: User, day: dt.date, planned_mg: float | None, saved: SavedDay | None = None
) -> tuple[dict[str, Any], str]:
    """Form values for `day`: its own saved entry and dose, or nothing.

    Returns the values and where they came from ("saved" or "empty"). A day nobody has filled in
    starts empty: copying yesterday's sleep or dose into it would store what the patient never
    entered. The one exception is tonight's planned amount, shown in the dose box, which counts
    only once the patient ticks "Taken" and saves: `planned_mg`, the therapy app's plan for
    the day (the journal sits below therapy and does not read plans). `saved`: `saved_day()`
    when already read.
    """
    entry, dose = saved if saved is not None else saved_day(patient, day)
    initial = _values(patient, entry, dose, own_day=True) if entry or dose else {}
    if dose is None and planned_mg is not None:
        initial["dose_mg"] = Decimal(str(planned_mg))
    return initial, "saved" if entry is not None else "empty"


def copy_of(patient: User, source_day: dt.date) -> dict[str, Any] | None:
    """The answers of `source_day`, for the explicit "same as <day>" button; None if no entry.

    Notes and one-off details belong to their own day and are not copied.
    """
    entry = DailyEntry.objects.filter(patient=patient, day=source_day).first()
    if entry is None:
        return None
    dose = DoseLog.objects.filter(patient=patient, day=source_day).first()
    return _values(patient, entry, dose, own_day=False)


def _values(
    patient: User, entry: DailyEntry | None, dose: DoseLog | None, *, own_day: bool
) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if entry is not None:
        for field in ENTRY_FIELDS:
            initial[field] = getattr(entry, field)
        initial["tags"] = ", ".join(entry.tags)
        for rating in entry.ratings.all():
            initial[f"symptom_{rating.symptom_id}"] = rating.score
        if not own_day:
            for field in ("notes", "side_effect_other", "cycle_day", "diet_notes"):
                initial.pop(field, None)
    if dose is not None:
        initial["dose_status"] = dose.status
        initial["dose_mg"] = dose.amount_mg
        if dose.taken_at:
            initial["dose_time"] = dose.taken_at.astimezone(patient_zone(patient)).time()
    return initial
