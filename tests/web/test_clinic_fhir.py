"""The FHIR download and `ldn fhir export`: the same numbers as the visit report for the same
period, only the shared areas for a clinician, every resource valid."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from typer.testing import CliRunner

from ldn.cli import app
from ldn.interop.fhir import build_bundle, resource_counts
from ldn.web.accounts.models import Share
from ldn.web.clinic import report
from ldn.web.clinic.fhir_export import gather
from tests.web.test_clinic_report import TODAY, demo  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def of(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_has_the_visit_reports_numbers_for_the_same_period(demo):  # noqa: F811
    start, end = TODAY - dt.timedelta(days=181), TODAY
    visit = report.build(demo, start, end, areas=set(Share.all_areas()), reader=demo, today=TODAY)
    bundle = build_bundle(gather(demo, set(Share.all_areas()), start, end))
    Bundle.model_validate(bundle)
    yesterday = min(end, TODAY - dt.timedelta(days=1))  # the report counts to its own yesterday
    taken = [
        a for a in of(bundle, "MedicationAdministration")
        if a["status"] == "completed" and a["effectiveDateTime"] <= yesterday.isoformat()
    ]  # fmt: skip
    assert visit.taken > 100 and len(taken) == visit.taken
    scores = [
        o for o in of(bundle, "Observation")
        if o["code"]["coding"][0]["system"] == "urn:ldn-companion:symptom"
    ]  # fmt: skip
    assert len(scores) == sum(s.days for s in visit.symptoms)
    assert len(of(bundle, "AdverseEvent")) == sum(s.days for s in visit.side_effects)
    loinc_totals = sorted(
        (o["effectiveDateTime"], o["code"]["coding"][0]["code"], o["valueInteger"])
        for o in of(bundle, "Observation")
        if o["code"]["coding"][0]["system"] == "http://loinc.org"
    )
    code = {"phq9": "44261-6", "gad7": "70274-6"}
    assert loinc_totals == sorted(
        (q.taken_on.isoformat(), code[q.key], q.total)
        for q in visit.questionnaires
        if q.key in code
    )
    assert len(loinc_totals) >= 10


def test_the_patient_downloads_the_whole_record(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("clinic:fhir", args=[world.alice.pk]))
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Content-Disposition"].startswith('attachment; filename="ldn-fhir-alice-')
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    assert resource_counts(bundle) == {
        "Observation": 3,  # pain 6, sleep 7 h, GAD-7 total
        "Patient": 1,
        "QuestionnaireResponse": 1,
    }


def test_a_clinician_gets_only_the_shared_areas_and_the_download_is_logged(client, world):
    from ldn.web.clinic.models import AuditEvent

    share = world.alice.shares_given.get(clinician=world.bob)
    share.areas = ["questionnaires"]
    share.save()
    client.force_login(world.bob)
    bundle = json.loads(client.get(reverse("clinic:fhir", args=[world.alice.pk])).content)
    assert resource_counts(bundle) == {"Observation": 1, "Patient": 1, "QuestionnaireResponse": 1}
    assert AuditEvent.objects.filter(patient=world.alice, what="FHIR export").exists()


def test_ldn_fhir_export_writes_the_bundle_and_prints_the_counts(world, tmp_path):
    out = tmp_path / "alice.json"
    result = CliRunner().invoke(app, ["fhir", "export", "--user", "alice", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "a FHIR R4 Bundle of 5 resources" in result.output and "Observation: 3" in result.output
    Bundle.model_validate(json.loads(out.read_text()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody", "--out", "x.json"], "no patient with the username 'nobody'"),
        (["--user", "alice", "--out", "x.pdf"], "--out must name a .json file"),
        (["--user", "alice", "--out", "x.json", "--from", "2026-13-01"], "--from must be a date"),
    ],
)
def test_ldn_fhir_export_errors_are_one_line(args, message, world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["fhir", "export", *args])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
