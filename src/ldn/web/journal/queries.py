"""Read-side helpers that shape a patient's journal for pages, in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg

from ldn.web.accounts.models import User
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
