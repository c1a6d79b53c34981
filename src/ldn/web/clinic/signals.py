"""Keep the clinician's flags current through ONE event: `journal_changed`
(ldn.web.journal.signals), sent inside the transaction that changed a patient's record.

The journal's services send it for check-ins, back-fills, edits, deletions and imports (bulk
writes included). The therapy and clinic records the flags also read (plan versions,
medications and their screening, follow-ups, logged doses from a reminder link) are written
row by row in several places; `announce_row_writes` turns each such row write into the same
event. The clinic listens to that event only.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from ldn.web.clinic import flags
from ldn.web.clinic.models import FollowUpOutcome
from ldn.web.journal.models import DoseLog, Medication, QuestionnaireResponse
from ldn.web.journal.signals import journal_changed
from ldn.web.therapy.models import Acknowledgement, FollowUp, PlanVersion, Screening

ROW_WRITTEN = (
    DoseLog,
    Medication,
    QuestionnaireResponse,
    PlanVersion,
    Screening,  # its findings are written with it, in the same transaction
    Acknowledgement,
    FollowUp,
    FollowUpOutcome,
)


def _row_written(sender: type, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixture loading
    # A dose log changes one diary day; the other rows (plans, medications, ...) any day.
    day = instance.day if isinstance(instance, DoseLog) else None
    journal_changed.send(sender=sender, patient_id=instance.patient_id, day=day)


def _changed(sender: object, patient_id: int, **kwargs: Any) -> None:
    flags.patient_changed(patient_id)


def connect() -> None:
    journal_changed.connect(_changed, dispatch_uid="clinic-flags")
    for model in ROW_WRITTEN:
        post_save.connect(_row_written, sender=model, dispatch_uid=f"announce-{model.__name__}")
        post_delete.connect(
            _row_written, sender=model, dispatch_uid=f"announce-del-{model.__name__}"
        )
