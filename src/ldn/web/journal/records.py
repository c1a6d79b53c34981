"""Database rows ⇄ the core's neutral `DayRecord`, and committing an import all-or-nothing.

The core parses files into an `ImportPreview`; this module only maps and stores. An import
merges each day into what is already there, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ldn.interop.records import DayRecord, ImportPreview, LdnDose, OtherDose
from ldn.web.accounts.clock import patient_zone
from ldn.web.accounts.models import User
from ldn.web.journal.models import (
    DailyEntry,
    DoseLog,
    EntryRevision,
    Symptom,
    SymptomRating,
)
from ldn.web.journal.models import OtherDose as OtherDoseRow
from ldn.web.journal.services import snapshot
from ldn.web.journal.signals import journal_changed


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def day_records(patient: User, start: dt.date | None = None) -> list[DayRecord]:
    """Every day the patient has recorded (entry or dose), in three queries."""
    entries = DailyEntry.objects.filter(patient=patient)
    ratings = SymptomRating.objects.filter(entry__patient=patient)
    doses = DoseLog.objects.filter(patient=patient)
    others = OtherDoseRow.objects.filter(patient=patient)
    if start is not None:
        entries, ratings = entries.filter(day__gte=start), ratings.filter(entry__day__gte=start)
        doses, others = doses.filter(day__gte=start), others.filter(day__gte=start)
    other_by_day: dict[dt.date, list[OtherDose]] = defaultdict(list)
    for o in others.order_by("day", "position", "pk"):
        other_by_day[o.day].append(OtherDose(o.name, o.status, o.amount, o.at))
    scores: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for day, name, score in ratings.values_list("entry__day", "symptom__name", "score"):
        scores[day][name] = score
    zone = patient_zone(patient)
    dose_by_day = {
        d.day: LdnDose(
            status=d.status,
            mg=_float(d.amount_mg),
            at=d.taken_at.astimezone(zone).time().replace(second=0, microsecond=0)
            if d.taken_at
            else None,
        )
        for d in doses
    }
    records = {}
    for e in entries:
        records[e.day] = DayRecord(
            day=e.day,
            scores=scores.get(e.day, {}),
            side_effects=tuple(e.side_effects),
            side_effect_other=e.side_effect_other,
            sleep_hours=_float(e.sleep_hours),
            sleep_quality=e.sleep_quality,
            stress=e.stress,
            exercise_minutes=e.exercise_minutes,
            water_litres=_float(e.water_litres),
            alcohol_units=e.alcohol_units,
            diet_notes=e.diet_notes,
            tags=tuple(e.tags),
            therapies=tuple(e.therapies),
            cycle_day=e.cycle_day,
            notes=e.notes,
            dose=dose_by_day.get(e.day),
            other_doses=tuple(other_by_day.get(e.day, ())),
        )
    for day, dose in dose_by_day.items():
        records.setdefault(day, DayRecord(day=day, dose=dose, other_doses=tuple(other_by_day[day])))
    for day, taken in other_by_day.items():
        records.setdefault(day, DayRecord(day=day, other_doses=tuple(taken)))
    return [records[d] for d in sorted(records)]


def merge(existing: DayRecord | None, incoming: DayRecord) -> DayRecord:
    """What the day looks like after an import: incoming values win where they are given."""
    if existing is None:
        return incoming
    changes: dict[str, object] = {"scores": {**existing.scores, **incoming.scores}}
    for name in (
        "sleep_hours", "sleep_quality", "stress", "exercise_minutes", "water_litres",
        "alcohol_units", "cycle_day", "dose",
    ):  # fmt: skip
        value = getattr(incoming, name)
        if value is not None:
            changes[name] = value
    for name in ("side_effect_other", "diet_notes", "notes"):
        if getattr(incoming, name):
            changes[name] = getattr(incoming, name)
    for name in ("side_effects", "tags", "therapies", "other_doses"):
        combined = dict.fromkeys((*getattr(existing, name), *getattr(incoming, name)))
        changes[name] = tuple(combined)
    return replace(existing, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    new_symptoms: tuple[str, ...]


def _entry_fields(record: DayRecord) -> dict[str, object]:
    return {
        "side_effects": list(record.side_effects),
        "side_effect_other": record.side_effect_other,
        "sleep_hours": record.sleep_hours,
        "sleep_quality": record.sleep_quality,
        "stress": record.stress,
        "exercise_minutes": record.exercise_minutes,
        "water_litres": record.water_litres,
        "alcohol_units": record.alcohol_units,
        "diet_notes": record.diet_notes,
        "tags": list(record.tags),
        "therapies": list(record.therapies),
        "cycle_day": record.cycle_day,
        "notes": record.notes,
    }


def import_counts(patient: User, preview: ImportPreview) -> ImportResult:
    """What committing `preview` would do (days created, updated, unchanged), writing nothing:
    the preview says "nothing new" when every day is already stored as in the file."""
    days = [d.day for d in preview.days]
    existing = {r.day: r for r in day_records(patient, start=min(days))} if days else {}
    created = updated = unchanged = 0
    for incoming in preview.days:
        before = existing.get(incoming.day)
        if before is None:
            created += 1
        elif merge(before, incoming).fingerprint == before.fingerprint:
            unchanged += 1
        else:
            updated += 1
    known = {
        s.casefold() for s in Symptom.objects.filter(patient=patient).values_list("name", flat=True)
    }
    new = tuple(n for n in preview.symptoms if n.casefold() not in known)
    return ImportResult(created, updated, unchanged, new)


@transaction.atomic
def commit_import(
    patient: User,
    preview: ImportPreview,
    *,
    by: User,
    on_progress: Callable[[int, int], None] | None = None,
    symptom_fields: dict[str, dict[str, object]] | None = None,
) -> ImportResult:
    """Store a clean preview in one transaction; any failure leaves the database untouched.

    `symptom_fields` gives stored fields (position, active, ...) for symptoms created here, by
    name, as a JSON export carries them."""
    if not preview.ok:
        raise ValueError("an import with errors cannot be committed")
    symptoms = {s.name: s for s in Symptom.objects.filter(patient=patient)}
    folded = {name.casefold(): s for name, s in symptoms.items()}
    created_symptoms = []
    position = len(symptoms)
    for name in preview.symptoms:
        if name.casefold() not in folded:
            extra = dict((symptom_fields or {}).get(name, {}))
            extra.setdefault("position", position)
            key = str(extra.pop("key", "") or "")
            if not key or key in {s.key for s in symptoms.values()}:
                key = _unique_key(name, symptoms)
            symptom = Symptom.objects.create(patient=patient, key=key, name=name, **extra)
            position += 1
            symptoms[name] = folded[name.casefold()] = symptom
            created_symptoms.append(name)

    days = [d.day for d in preview.days]
    existing = {r.day: r for r in day_records(patient, start=min(days))} if days else {}
    zone = patient_zone(patient)
    new_entries, new_ratings, new_doses, new_others = [], [], [], []
    created = updated = unchanged = 0
    total = len(preview.days)
    for i, incoming in enumerate(preview.days, start=1):
        before = existing.get(incoming.day)
        merged = merge(before, incoming)
        if before is not None and merged.fingerprint == before.fingerprint:
            unchanged += 1
        elif before is None:
            entry = DailyEntry(patient=patient, day=merged.day, **_entry_fields(merged))
            new_entries.append(entry)
            new_ratings.extend(
                (entry, folded[name.casefold()], score) for name, score in merged.scores.items()
            )
            if merged.dose is not None:
                new_doses.append(_dose_row(patient, merged, zone))
            new_others.extend(_other_rows(patient, merged))
            created += 1
        else:
            _update_day(patient, merged, folded, zone, by)
            updated += 1
        if on_progress and (i % 200 == 0 or i == total):
            on_progress(i, total)

    DailyEntry.objects.bulk_create(new_entries)
    SymptomRating.objects.bulk_create(
        SymptomRating(entry=entry, symptom=symptom, score=score)
        for entry, symptom, score in new_ratings
    )
    DoseLog.objects.bulk_create(new_doses)
    OtherDoseRow.objects.bulk_create(new_others)
    EntryRevision.objects.bulk_create(
        EntryRevision(
            patient=patient, day=e.day, action=EntryRevision.Action.IMPORTED, changed_by=by
        )
        for e in new_entries
    )
    if created or updated:
        journal_changed.send(sender=DailyEntry, patient_id=patient.pk)
    return ImportResult(created, updated, unchanged, tuple(created_symptoms))


def _other_rows(patient: User, record: DayRecord) -> list[OtherDoseRow]:
    return [
        OtherDoseRow(
            patient=patient,
            day=record.day,
            position=i,
            name=o.name,
            status=o.status,
            amount=o.amount,
            at=o.at,
        )  # fmt: skip
        for i, o in enumerate(record.other_doses)
    ]


def _unique_key(name: str, taken: dict[str, Symptom]) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:56] or "symptom"
    keys = {s.key for s in taken.values()}
    key, n = base, 2
    while key in keys:
        key, n = f"{base}-{n}", n + 1
    return key


def _dose_row(patient: User, record: DayRecord, zone: dt.tzinfo) -> DoseLog:
    dose = record.dose
    assert dose is not None  # callers check; a programming error otherwise
    taken_at = dt.datetime.combine(record.day, dose.at, tzinfo=zone) if dose.at else None
    return DoseLog(
        patient=patient, day=record.day, status=dose.status, amount_mg=dose.mg, taken_at=taken_at
    )


def _update_day(
    patient: User, record: DayRecord, symptoms: dict[str, Symptom], zone: dt.tzinfo, by: User
) -> None:
    entry, _ = DailyEntry.objects.get_or_create(patient=patient, day=record.day)
    EntryRevision.objects.create(
        patient=patient,
        day=record.day,
        action=EntryRevision.Action.IMPORTED,
        before=snapshot(entry),
        changed_by=by,
    )
    for name, value in _entry_fields(record).items():
        setattr(entry, name, value)
    entry.updated_at = timezone.now()
    entry.save()
    entry.ratings.all().delete()
    SymptomRating.objects.bulk_create(
        SymptomRating(entry=entry, symptom=symptoms[n.casefold()], score=s)
        for n, s in record.scores.items()
    )
    OtherDoseRow.objects.filter(patient=patient, day=record.day).delete()
    OtherDoseRow.objects.bulk_create(_other_rows(patient, record))
    if record.dose is not None:
        row = _dose_row(patient, record, zone)
        DoseLog.objects.update_or_create(
            patient=patient,
            day=record.day,
            defaults={"status": row.status, "amount_mg": row.amount_mg, "taken_at": row.taken_at},
        )
