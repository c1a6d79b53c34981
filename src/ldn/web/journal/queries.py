"""Read-side helpers that shape a patient's journal for pages, in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg

from ldn.dosing import minutes_late
from ldn.web.accounts.clock import patient_zone
from ldn.web.accounts.models import PatientProfile, User
from ldn.web.journal.models import DailyEntry, DoseLog, SymptomRating


@dataclass(frozen=True)
class SymptomSnapshot:
    name: str
    last_7_days: float | None
    previous_28_days: float | None


@dataclass(frozen=True)
class JournalSummary:
    entries: int
    last_entry: date | None
    yesterday: date
    yesterday_missing: bool
    current_dose_mg: float | None
    symptoms: list[SymptomSnapshot]


def _averages(patient: User, start: date, end: date) -> dict[str, float]:
    rows = (
        SymptomRating.objects.filter(
            entry__patient=patient, entry__day__gte=start, entry__day__lt=end
        )
        .values("symptom__name")
        .annotate(mean=Avg("score"))
    )
    return {row["symptom__name"]: float(row["mean"]) for row in rows}


def journal_summary(patient: User, today: date) -> JournalSummary:
    """Descriptive averages only: whether a change is real is the analysis module's question."""
    entries = DailyEntry.objects.filter(patient=patient)
    last = entries.order_by("-day").values_list("day", flat=True).first()
    recent = _averages(patient, today - timedelta(days=7), today + timedelta(days=1))
    before = _averages(patient, today - timedelta(days=35), today - timedelta(days=7))
    dose = (
        DoseLog.objects.filter(patient=patient, amount_mg__isnull=False)
        .order_by("-day")
        .values_list("amount_mg", flat=True)
        .first()
    )
    names = list(patient.symptoms.filter(active=True).values_list("name", flat=True))
    return JournalSummary(
        entries=entries.count(),
        last_entry=last,
        yesterday=today - timedelta(days=1),
        yesterday_missing=not entries.filter(day=today - timedelta(days=1)).exists(),
        current_dose_mg=float(dose) if dose is not None else None,
        symptoms=[SymptomSnapshot(n, recent.get(n), before.get(n)) for n in names],
    )


@dataclass(frozen=True)
class DoseView:
    """One evening's dose as the journal shows it, lateness included."""

    status: str
    amount_mg: float | None
    taken_at: str | None  # local HH:MM
    late_minutes: int | None

    @property
    def text(self) -> str:
        if self.status == "missed":
            return "missed"
        amount = f"{self.amount_mg:g} mg" if self.amount_mg is not None else "taken"
        if self.taken_at is None:
            return amount
        late = f", late by {self.late_minutes} min" if self.late_minutes else ""
        return f"{amount} at {self.taken_at}{late}"


def doses_by_day(patient: User, days: list[date]) -> dict[date, DoseView]:
    """The logged doses for `days` (one query), each with its lateness against the bedtime."""

    profile = PatientProfile.objects.filter(user=patient).only("bedtime").first()
    zone = patient_zone(patient)
    out = {}
    for dose in DoseLog.objects.filter(patient=patient, day__in=days):
        local = dose.taken_at.astimezone(zone).time() if dose.taken_at else None
        late = minutes_late(local, profile.bedtime) if local and profile else None
        out[dose.day] = DoseView(
            dose.status,
            float(dose.amount_mg) if dose.amount_mg is not None else None,
            local.strftime("%H:%M") if local else None,
            late,
        )
    return out
