"""Read-side helpers that shape a patient's journal for pages, in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Count, Max, Q

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


def _averages(
    patient: User, recent: tuple[date, date], before: tuple[date, date]
) -> tuple[dict[str, float], dict[str, float]]:
    """Mean score per symptom name over each [start, end) window, in one query."""
    rows = (
        SymptomRating.objects.filter(
            entry__patient=patient, entry__day__gte=before[0], entry__day__lt=recent[1]
        )
        .values("symptom__name")
        .annotate(
            recent=Avg("score", filter=Q(entry__day__gte=recent[0], entry__day__lt=recent[1])),
            before=Avg("score", filter=Q(entry__day__gte=before[0], entry__day__lt=before[1])),
        )
    )
    return tuple(  # type: ignore[return-value]
        {r["symptom__name"]: float(r[k]) for r in rows if r[k] is not None}
        for k in ("recent", "before")
    )


def journal_summary(patient: User, today: date) -> JournalSummary:
    """Descriptive averages only: whether a change is real is the analysis module's question."""
    yesterday = today - timedelta(days=1)
    counted = DailyEntry.objects.filter(patient=patient).aggregate(
        entries=Count("id"), last=Max("day"), yesterday=Count("id", filter=Q(day=yesterday))
    )
    recent, before = _averages(
        patient,
        (today - timedelta(days=6), today + timedelta(days=1)),  # 7 days, today included
        (today - timedelta(days=34), today - timedelta(days=6)),  # the 28 days before them
    )
    dose = (
        DoseLog.objects.filter(patient=patient, amount_mg__isnull=False)
        .order_by("-day")
        .values_list("amount_mg", flat=True)
        .first()
    )
    names = list(patient.symptoms.filter(active=True).values_list("name", flat=True))
    return JournalSummary(
        entries=counted["entries"],
        last_entry=counted["last"],
        yesterday=yesterday,
        yesterday_missing=not counted["yesterday"],
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
