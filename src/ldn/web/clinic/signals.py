"""Keep the patient list's flags current: any write to the records they are computed from
asks for a recompute of that patient after the transaction commits. (Symptom ratings are
saved with their day's entry, whose save already counts.)"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from ldn.web.clinic import flags
from ldn.web.clinic.models import FollowUpOutcome
from ldn.web.journal.models import DailyEntry, DoseLog, Medication, QuestionnaireResponse
from ldn.web.therapy.models import Acknowledgement, Finding, FollowUp, PlanVersion, Screening

WATCHED = (
    DailyEntry,
    DoseLog,
    Medication,
    QuestionnaireResponse,
    PlanVersion,
    Screening,
    Finding,
    Acknowledgement,
    FollowUp,
    FollowUpOutcome,
)


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixture loading
    flags.patient_changed(instance.patient_id)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"clinic-flags-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"clinic-flags-del-{model.__name__}"
        )
