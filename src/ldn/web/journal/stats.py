"""A descriptive summary of a patient's journal (counts and means, no inference)."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Max, Min

from ldn.web.accounts.models import User
from ldn.web.journal.models import DailyEntry, DoseLog, Symptom


def journal_stats(patient: User) -> dict[str, Any]:
    span = DailyEntry.objects.filter(patient=patient).aggregate(
        days=Count("id"), first=Min("day"), last=Max("day")
    )
    doses = dict(
        DoseLog.objects.filter(patient=patient)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    taken, missed = doses.get("taken", 0), doses.get("missed", 0)
    symptoms = Symptom.objects.filter(patient=patient).annotate(
        n=Count("ratings"), mean=Avg("ratings__score")
    )
    return {
        "days": span["days"],
        "first_day": span["first"],
        "last_day": span["last"],
        "doses_taken": taken,
        "doses_missed": missed,
        "adherence_pct": 100 * taken / (taken + missed) if taken + missed else None,
        "symptoms": [
            {"name": s.name, "ratings": s.n, "mean": float(s.mean) if s.mean is not None else None}
            for s in symptoms
        ],
    }
