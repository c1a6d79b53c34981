"""A descriptive summary of a patient's journal (counts and means, no inference)."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Max, Min

from ldn.dosing import Adherence
from ldn.web.accounts.models import User
from ldn.web.journal.models import DailyEntry, Symptom


def journal_stats(patient: User, adherence: Adherence | None) -> dict[str, Any]:
    """Days, symptoms and doses; the doses are `adherence` as the therapy app counts it (the one
    definition, ldn.dosing.adherence), passed in because the journal sits below therapy."""
    span = DailyEntry.objects.filter(patient=patient).aggregate(
        days=Count("id"), first=Min("day"), last=Max("day")
    )
    symptoms = Symptom.objects.filter(patient=patient).annotate(
        n=Count("ratings"), mean=Avg("ratings__score")
    )
    return {
        "days": span["days"],
        "first_day": span["first"],
        "last_day": span["last"],
        "doses_due": adherence.due if adherence else 0,
        "doses_taken": adherence.taken if adherence else 0,
        "doses_missed": adherence.missed if adherence else 0,
        "doses_not_logged": adherence.unlogged if adherence else 0,
        "adherence_pct": adherence.pct if adherence else None,
        "symptoms": [
            {"name": s.name, "ratings": s.n, "mean": float(s.mean) if s.mean is not None else None}
            for s in symptoms
        ],
    }
