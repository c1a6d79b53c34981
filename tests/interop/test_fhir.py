"""The FHIR R4 Bundle from plain records: every resource parses with the fhir.resources R4B
models, the plan's steps become dated dosage instructions, and only the given areas are written."""

from __future__ import annotations

import datetime as dt

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from ldn.dosing import Pause, PlanStep, TitrationPlan
from ldn.interop.fhir import (
    ContraindicationRecord,
    FhirError,
    FhirInput,
    OtherMedication,
    PatientInfo,
    QuestionnaireScore,
    build_bundle,
    resource_counts,
)
from ldn.interop.records import DayRecord, LdnDose

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
START = dt.date(2026, 10, 1)
ALL = frozenset({"journal", "plan", "medications", "questionnaires", "analysis"})


def record(areas=ALL, **changes) -> FhirInput:
    days = (
        DayRecord(day=START, scores={"Brain fog": 6, "Pain": 5}, sleep_hours=7.5, sleep_quality=6,
                  dose=LdnDose("taken", 1.5)),
        DayRecord(day=START + dt.timedelta(days=1), scores={"Pain": 4},
                  side_effects=("vivid_dreams",), dose=LdnDose("missed")),
        DayRecord(day=START + dt.timedelta(days=2), dose=LdnDose("taken", 3.0)),
    )  # fmt: skip
    values = dict(
        patient=PatientInfo(7, "Ana Example", dt.date(1980, 2, 3), "female", ("fibromyalgia",)),
        areas=areas,
        generated_at=NOW,
        days=days,
        plan=TitrationPlan(
            start=START,
            steps=(PlanStep(1.5, 0, 14), PlanStep(3.0, 14, 28), PlanStep(4.5, 28)),
            pauses=(Pause(dt.date(2026, 11, 1), dt.date(2026, 11, 3)),),
        ),
        medications=(OtherMedication("Vitamin D3", "1000 IU", "daily", dt.date(2025, 1, 1)),),
        questionnaires=(
            QuestionnaireScore("phq9", START, {f"phq9_{i}": 1 for i in range(1, 10)}, 9, "mild"),
            QuestionnaireScore(
                "gad7", START, {f"gad7_{i}": 2 for i in range(1, 8)}, 14, "moderate"
            ),
        ),  # fmt: skip
        contraindications=(
            ContraindicationRecord("tramadol", "Opioid agonist: naltrexone blocks it.", "opioid"),
        ),
        side_effect_names={"vivid_dreams": "Vivid dreams"},
    )
    values.update(changes)
    return FhirInput(**values)  # type: ignore[arg-type]


def resources(bundle, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_and_every_resource_in_it_parse_as_fhir():
    bundle = build_bundle(record())
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert resource_counts(bundle) == {
        "AdverseEvent": 1,
        "Condition": 1,
        "DetectedIssue": 1,
        "MedicationAdministration": 3,
        "MedicationRequest": 1,
        "MedicationStatement": 1,
        "Observation": 3 + 2 + 2,  # three scores, sleep hours and quality, two totals
        "Patient": 1,
        "QuestionnaireResponse": 2,
    }


def test_each_plan_step_is_a_dosage_instruction_with_its_first_and_last_day():
    (request,) = resources(build_bundle(record()), "MedicationRequest")
    steps = [
        (
            d["sequence"],
            d["doseAndRate"][0]["doseQuantity"]["value"],
            d["timing"]["repeat"]["boundsPeriod"],
        )
        for d in request["dosageInstruction"]
    ]
    assert steps == [
        (1, 1.5, {"start": "2026-10-01", "end": "2026-10-14"}),
        (2, 3.0, {"start": "2026-10-15", "end": "2026-10-28"}),
        (3, 4.5, {"start": "2026-10-29"}),
    ]
    assert request["intent"] == "plan" and "Paused 2026-11-01 to 2026-11-03" in str(request["note"])


def test_nightly_doses_are_administrations_taken_or_not_done():
    doses = resources(build_bundle(record()), "MedicationAdministration")
    assert [(d["effectiveDateTime"], d["status"], d.get("dosage", {}).get("dose", {}).get("value"))
            for d in doses] == [
        ("2026-10-01", "completed", 1.5), ("2026-10-02", "not-done", None),
        ("2026-10-03", "completed", 3.0),
    ]  # fmt: skip


def test_questionnaires_carry_their_loinc_codes_and_totals():
    bundle = build_bundle(record())
    responses = resources(bundle, "QuestionnaireResponse")
    assert [r["questionnaire"] for r in responses] == [
        "http://loinc.org/q/44249-1",
        "http://loinc.org/q/69737-5",
    ]
    totals = {
        o["code"]["coding"][0]["code"]: o["valueInteger"]
        for o in resources(bundle, "Observation")
        if o["code"]["coding"][0]["system"] == "http://loinc.org"
    }
    assert totals == {"44261-6": 9, "70274-6": 14}
    phq = responses[0]["item"]
    assert phq[-1] == {"linkId": "44261-6", "text": "Total score", "answer": [{"valueInteger": 9}]}


def test_symptom_scores_use_our_documented_code_system():
    scores = [
        o
        for o in resources(build_bundle(record()), "Observation")
        if o["code"]["coding"][0]["system"] == "urn:ldn-companion:symptom"
    ]
    assert [(o["code"]["coding"][0]["code"], o["valueInteger"]) for o in scores] == [
        ("brain-fog", 6), ("pain", 5), ("pain", 4),
    ]  # fmt: skip


def test_only_the_given_areas_are_written():
    bundle = build_bundle(record(areas=frozenset({"questionnaires"})))
    assert resource_counts(bundle) == {
        "Condition": 1, "Observation": 2, "Patient": 1, "QuestionnaireResponse": 2,
    }  # fmt: skip


def test_the_same_record_exports_the_same_ids():
    first = [e["fullUrl"] for e in build_bundle(record())["entry"]]
    again = [e["fullUrl"] for e in build_bundle(record())["entry"]]
    assert first == again and len(set(first)) == len(first)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"areas": frozenset({"diary"})}, "areas must be among"),
        ({"generated_at": dt.datetime(2026, 11, 25, 9, 0)}, "generated_at must carry a time zone"),
        ({"patient": PatientInfo(1, "X", sex="robot")}, "sex must be one of"),
    ],
)
def test_bad_input_names_the_field_and_the_value(changes, message):
    with pytest.raises(FhirError, match=message):
        build_bundle(record(**changes))
