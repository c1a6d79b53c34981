"""Gather a patient's records as plain values for the FHIR R4 core (ldn.interop.fhir): the
journal's day records, the current LDN plan, other medications, PHQ-9/GAD-7 results and
unresolved contraindications, limited to the areas the reader may see."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from ldn.interop.fhir import (
    ContraindicationRecord,
    FhirInput,
    OtherMedication,
    PatientInfo,
    QuestionnaireScore,
    build_bundle,
    days_between,
)
from ldn.journal import SIDE_EFFECTS
from ldn.journal.questionnaires import QuestionnaireError, score_questionnaire
from ldn.web.accounts.models import User
from ldn.web.clinic import integrations
from ldn.web.journal.models import Medication
from ldn.web.journal.records import day_records


def gather(
    patient: User,
    areas: set[str],
    start: dt.date | None = None,
    end: dt.date | None = None,
    now: dt.datetime | None = None,
) -> FhirInput:
    profile = getattr(patient, "profile", None)
    info = PatientInfo(
        id=patient.pk,
        name=patient.get_full_name() or patient.get_username(),
        birth_date=profile.date_of_birth if profile else None,
        sex=profile.sex if profile else "undisclosed",
        conditions=tuple(str(c) for c in (profile.conditions or [])) if profile else (),
    )
    questionnaires = []
    for record in integrations.questionnaire_records([patient.pk]):
        if (start and record.taken_on < start) or (end and record.taken_on > end):
            continue
        try:
            result = score_questionnaire(record.instrument, record.answers)
        except QuestionnaireError:
            continue  # an incomplete or unknown result is not exported as a score
        questionnaires.append(
            QuestionnaireScore(
                record.instrument, record.taken_on, record.answers, result.total, result.band
            )
        )
    return FhirInput(
        patient=info,
        areas=frozenset(areas),
        generated_at=now or timezone.now(),
        days=days_between(day_records(patient, start), start, end),
        plan=integrations.current_plan(patient),
        medications=tuple(
            OtherMedication(
                m.name, f"{m.dose} {m.unit}".strip(), m.schedule, m.started_on, m.stopped_on
            )
            for m in Medication.objects.filter(patient=patient, is_ldn=False).order_by("name")
        ),
        questionnaires=tuple(questionnaires),
        contraindications=tuple(
            ContraindicationRecord(f.input, f.message, f.rule)
            for f in integrations.unresolved_contraindications_batch([patient.pk]).get(
                patient.pk, []
            )
        ),
        side_effect_names=dict(SIDE_EFFECTS),
    )


def bundle_json(patient: User, areas: set[str], **kwargs: object) -> str:
    return json.dumps(build_bundle(gather(patient, areas, **kwargs)), indent=1)  # type: ignore[arg-type]
