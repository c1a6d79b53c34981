"""A patient's record as a FHIR R4 Bundle (JSON), built from plain records: no database.

The web layer and the CLI gather a `FhirInput` (the day records of ldn.interop.records, the
LDN plan of ldn.dosing, other medications, questionnaire results, contraindications) and
`build_bundle` turns it into one `collection` Bundle. Only the areas listed in
`FhirInput.areas` are written, so a sharing clinician's export holds what their share covers.

Codes: LOINC for the PHQ-9 and GAD-7 (panel 44249-1, total 44261-6; panel 69737-5, total
70274-6, as listed on loinc.org); our own code system `SYMPTOM_SYSTEM` for symptom scores and
`LDN_SYSTEM` for sleep and the plan, documented in docs/fhir.md. Resource ids are UUIDs
derived from the patient id and the record's key, so the same record exports the same id.
Only elements present in FHIR R4 are used.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ldn.dosing import TitrationPlan
from ldn.interop.records import DayRecord

SYMPTOM_SYSTEM = "urn:ldn-companion:symptom"
LDN_SYSTEM = "urn:ldn-companion:code"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
NAMESPACE = uuid.UUID("6f1c3a52-8e7b-4d1e-9a55-2b7f0c4d9e10")  # fixed: ids are stable

QUESTIONNAIRES = {
    # instrument: (panel LOINC, total-score LOINC, display)
    "phq9": ("44249-1", "44261-6", "PHQ-9 quick depression assessment panel"),
    "gad7": ("69737-5", "70274-6", "Generalized anxiety disorder 7 item (GAD-7)"),
}
AREAS = ("journal", "plan", "medications", "questionnaires", "analysis")
GENDER = {"female": "female", "male": "male", "intersex": "other", "undisclosed": "unknown"}


class FhirError(ValueError):
    """Input that cannot be written as FHIR (names the field, the rule and the value)."""


@dataclass(frozen=True)
class PatientInfo:
    id: int
    name: str
    birth_date: dt.date | None = None
    sex: str = "undisclosed"  # female, male, intersex, undisclosed
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class OtherMedication:
    name: str
    dose: str = ""
    schedule: str = ""
    started_on: dt.date | None = None
    stopped_on: dt.date | None = None


@dataclass(frozen=True)
class QuestionnaireScore:
    instrument: str  # "phq9" or "gad7"; others are not exported
    taken_on: dt.date
    answers: dict[str, int]
    total: int
    band: str


@dataclass(frozen=True)
class ContraindicationRecord:
    input: str
    message: str
    rule: str = ""


@dataclass(frozen=True)
class FhirInput:
    patient: PatientInfo
    areas: frozenset[str]
    generated_at: dt.datetime
    days: tuple[DayRecord, ...] = ()
    plan: TitrationPlan | None = None
    medications: tuple[OtherMedication, ...] = ()
    questionnaires: tuple[QuestionnaireScore, ...] = ()
    contraindications: tuple[ContraindicationRecord, ...] = ()
    symptom_names: dict[str, str] = field(default_factory=dict)  # name -> display
    side_effect_names: dict[str, str] = field(default_factory=dict)  # code -> words


def _id(patient: PatientInfo, *key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(k) for k in (patient.id, *key))))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "symptom"


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _patient(p: PatientInfo) -> dict[str, Any]:
    if p.sex not in GENDER:
        raise FhirError(f"sex must be one of {sorted(GENDER)}, got {p.sex!r}")
    out: dict[str, Any] = {
        "resourceType": "Patient",
        "id": _id(p, "patient"),
        "identifier": [{"system": "urn:ldn-companion:patient", "value": str(p.id)}],
        "name": [{"text": p.name}],
        "gender": GENDER[p.sex],
    }
    if p.birth_date:
        out["birthDate"] = p.birth_date.isoformat()
    return out


def _conditions(p: PatientInfo, ref: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "resourceType": "Condition",
            "id": _id(p, "condition", name),
            "clinicalStatus": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                        "code": "active",
                    }
                ]
            },
            "code": {"text": name},
            "subject": ref,
        }
        for name in p.conditions
    ]


def _medication_statements(data: FhirInput, ref: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for m in data.medications:
        resource: dict[str, Any] = {
            "resourceType": "MedicationStatement",
            "id": _id(data.patient, "medication", m.name, m.started_on),
            "status": "completed" if m.stopped_on else "active",
            "medicationCodeableConcept": {"text": m.name},
            "subject": ref,
        }
        if m.started_on or m.stopped_on:
            period = {}
            if m.started_on:
                period["start"] = m.started_on.isoformat()
            if m.stopped_on:
                period["end"] = m.stopped_on.isoformat()
            resource["effectivePeriod"] = period
        text = " ".join(x for x in (m.dose, m.schedule) if x)
        if text:
            resource["dosage"] = [{"text": text}]
        out.append(resource)
    return out


LDN_CONCEPT = {"text": "Naltrexone, low dose (LDN), compounded"}


def _plan_request(data: FhirInput, ref: dict[str, str]) -> dict[str, Any] | None:
    plan = data.plan
    if plan is None:
        return None
    instructions = []
    for i, step in enumerate(plan.steps, start=1):
        first = plan.start + dt.timedelta(days=step.from_day)
        bounds: dict[str, str] = {"start": first.isoformat()}
        if step.to_day is not None:  # [from_day, to_day): the last day is to_day - 1
            last = plan.start + dt.timedelta(days=step.to_day - 1)
            bounds["end"] = last.isoformat()
        instructions.append(
            {
                "sequence": i,
                "text": f"{step.dose_mg:g} mg by mouth at bedtime",
                "timing": {
                    "repeat": {
                        "boundsPeriod": bounds,
                        "frequency": 1,
                        "period": 1,
                        "periodUnit": "d",
                    }
                },
                "doseAndRate": [
                    {
                        "doseQuantity": {
                            "value": step.dose_mg,
                            "unit": "mg",
                            "system": UCUM,
                            "code": "mg",
                        }
                    }
                ],
            }
        )
    return {
        "resourceType": "MedicationRequest",
        "id": _id(data.patient, "ldn-plan"),
        "status": "active",
        "intent": "plan",
        "medicationCodeableConcept": LDN_CONCEPT,
        "subject": ref,
        "note": [{"text": f"Titration plan '{plan.name}', day 0 = {plan.start.isoformat()}"}]
        + [
            {"text": f"Paused {p.start.isoformat()} to {p.end.isoformat() if p.end else 'open'}"}
            for p in plan.pauses
        ],
        "dosageInstruction": instructions,
    }


def _administrations(
    data: FhirInput, ref: dict[str, str], plan_ref: dict[str, str] | None
) -> list[dict[str, Any]]:
    out = []
    for day in data.days:
        if day.dose is None:
            continue
        resource: dict[str, Any] = {
            "resourceType": "MedicationAdministration",
            "id": _id(data.patient, "dose", day.key),
            "status": "completed" if day.dose.status == "taken" else "not-done",
            "medicationCodeableConcept": LDN_CONCEPT,
            "subject": ref,
            "effectiveDateTime": day.day.isoformat(),
        }
        if plan_ref is not None:
            resource["request"] = plan_ref
        if day.dose.status == "taken" and day.dose.mg is not None:
            resource["dosage"] = {
                "dose": {"value": day.dose.mg, "unit": "mg", "system": UCUM, "code": "mg"}
            }
        out.append(resource)
    return out


def _observation(
    data: FhirInput,
    key: tuple[object, ...],
    day: dt.date,
    coding: dict[str, str],
    value: dict[str, Any],
    category: str,
    ref: dict[str, str],
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": _id(data.patient, *key),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}],
        "code": {"coding": [coding], "text": coding["display"]},
        "subject": ref,
        "effectiveDateTime": day.isoformat(),
        **value,
    }


def _day_observations(data: FhirInput, ref: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for day in data.days:
        for name, score in sorted(day.scores.items()):
            display = data.symptom_names.get(name, name)
            coding = {"system": SYMPTOM_SYSTEM, "code": _slug(name), "display": display}
            value: dict[str, Any] = {"valueInteger": score}
            out.append(
                _observation(data, ("score", day.key, name), day.day, coding, value, "survey", ref)
            )
        if day.sleep_hours is not None:
            coding = {"system": LDN_SYSTEM, "code": "sleep-hours", "display": "Hours slept"}
            value = {
                "valueQuantity": {
                    "value": day.sleep_hours,
                    "unit": "h",
                    "system": UCUM,
                    "code": "h",
                }
            }
            out.append(
                _observation(
                    data, ("sleep-hours", day.key), day.day, coding, value, "activity", ref
                )
            )
        if day.sleep_quality is not None:
            coding = {
                "system": LDN_SYSTEM,
                "code": "sleep-quality",
                "display": "Sleep quality (0 worst - 10 best)",
            }
            value = {"valueInteger": day.sleep_quality}
            out.append(
                _observation(
                    data, ("sleep-quality", day.key), day.day, coding, value, "survey", ref
                )
            )
    return out


def _questionnaire_responses(data: FhirInput, ref: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for q in data.questionnaires:
        if q.instrument not in QUESTIONNAIRES:
            continue
        panel, total_code, display = QUESTIONNAIRES[q.instrument]
        response_id = _id(data.patient, "questionnaire", q.instrument, q.taken_on)
        items = [
            {"linkId": item, "answer": [{"valueInteger": value}]}
            for item, value in q.answers.items()
        ]
        items.append(
            {"linkId": total_code, "text": "Total score", "answer": [{"valueInteger": q.total}]}
        )
        out.append(
            {
                "resourceType": "QuestionnaireResponse",
                "id": response_id,
                "questionnaire": f"{LOINC}/q/{panel}",
                "status": "completed",
                "subject": ref,
                "authored": q.taken_on.isoformat(),
                "item": items,
            }
        )
        total = _observation(
            data,
            ("questionnaire-total", q.instrument, q.taken_on),
            q.taken_on,
            {"system": LOINC, "code": total_code, "display": f"{display} total score"},
            {
                "valueInteger": q.total,
                "interpretation": [{"text": q.band}],
                "derivedFrom": [{"reference": f"urn:uuid:{response_id}"}],
            },
            "survey",
            ref,
        )
        out.append(total)
    return out


def _adverse_events(
    data: FhirInput, ref: dict[str, str], plan_ref: dict[str, str] | None
) -> list[dict[str, Any]]:
    out = []
    for day in data.days:
        for code in day.side_effects:
            resource: dict[str, Any] = {
                "resourceType": "AdverseEvent",
                "id": _id(data.patient, "side-effect", day.key, code),
                "actuality": "actual",
                "event": {
                    "coding": [
                        {
                            "system": LDN_SYSTEM,
                            "code": f"side-effect-{code}",
                            "display": data.side_effect_names.get(code, code),
                        }
                    ],
                    "text": data.side_effect_names.get(code, code),
                },
                "subject": ref,
                "date": day.day.isoformat(),
            }
            if plan_ref is not None:
                resource["suspectEntity"] = [{"instance": plan_ref}]
            out.append(resource)
    return out


def _detected_issues(data: FhirInput, ref: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "resourceType": "DetectedIssue",
            "id": _id(data.patient, "contraindication", c.input, c.rule),
            "status": "final",
            "severity": "high",
            "code": {"text": f"Contraindicated with low-dose naltrexone: {c.input}"},
            "patient": ref,
            "identifiedDateTime": data.generated_at.isoformat(),
            "detail": c.message,
        }
        for c in data.contraindications
    ]


def build_bundle(data: FhirInput) -> dict[str, Any]:
    """One FHIR R4 `collection` Bundle of the areas in `data.areas` (a dict ready for JSON)."""
    unknown = sorted(set(data.areas) - set(AREAS))
    if unknown:
        raise FhirError(f"areas must be among {list(AREAS)}, got {unknown}")
    if data.generated_at.tzinfo is None:
        raise FhirError("generated_at must carry a time zone, got a naive datetime")
    patient = _patient(data.patient)
    ref = {"reference": f"urn:uuid:{patient['id']}"}
    resources: list[dict[str, Any]] = [patient, *_conditions(data.patient, ref)]
    plan_request = _plan_request(data, ref) if "plan" in data.areas else None
    plan_ref = {"reference": f"urn:uuid:{plan_request['id']}"} if plan_request else None
    if "medications" in data.areas:
        resources += _medication_statements(data, ref)
        resources += _detected_issues(data, ref)
    if plan_request is not None:
        resources.append(plan_request)
    if "plan" in data.areas:
        resources += _administrations(data, ref, plan_ref)
    if "journal" in data.areas:
        resources += _day_observations(data, ref)
        resources += _adverse_events(data, ref, plan_ref)
    if "questionnaires" in data.areas:
        resources += _questionnaire_responses(data, ref)
    return {
        "resourceType": "Bundle",
        "id": _id(data.patient, "bundle", data.generated_at.isoformat()),
        "type": "collection",
        "timestamp": data.generated_at.isoformat(),
        "entry": [_entry(r) for r in resources],
    }


def resource_counts(bundle: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in bundle.get("entry", []):
        kind = entry["resource"]["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))


def days_between(
    days: Sequence[DayRecord], start: dt.date | None, end: dt.date | None
) -> tuple[DayRecord, ...]:
    return tuple(
        d for d in days if (start is None or d.day >= start) and (end is None or d.day <= end)
    )
