"""Every change a clinician makes to a patient's record is audited by the access layer: one
"write" row naming the change, none when refused, and the patient reads it in their access log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from ldn.dosing.plan import PlanStep, TitrationPlan
from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import Share
from ldn.web.clinic.models import AuditEvent, ClinicianNote
from ldn.web.living import services as living
from ldn.web.living.models import PlannedProcedure
from ldn.web.therapy import plans
from tests.web import insights_helpers

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Write:
    """One clinician write URL: what to set up, what to post, the row it must leave."""

    area: str
    prepare: Callable[[object], tuple[str, dict[str, str], str]]  # url, form, expected `what`


def _plan_with_step_up(patient, days_ago: int) -> dt.date:
    step_day = local_today(patient) - dt.timedelta(days=days_ago)
    plan = TitrationPlan(
        step_day - dt.timedelta(days=14), (PlanStep(1.5, 0, 14), PlanStep(3.0, 14))
    )
    plans.save_version(
        patient, plan, author=patient, reason="Start", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    return step_day


def _adjust_plan(w) -> tuple[str, dict[str, str], str]:
    _plan_with_step_up(w.alice, days_ago=40)
    day = local_today(w.alice) + dt.timedelta(days=1)
    form = {"dose_mg": "3", "from_day": day.isoformat(), "reason": "Vivid dreams"}
    what = f"changed the plan to 3 mg from {day:%Y-%m-%d} (plan version 2)"
    return reverse("clinic:adjust_plan", args=[w.alice.pk]), form, what


def _follow_up(w) -> tuple[str, dict[str, str], str]:
    day = local_today(w.alice) + dt.timedelta(days=21)
    form = {"day": day.isoformat(), "time": "10:30", "note": "Review sleep"}
    what = f"scheduled a follow-up for {day:%Y-%m-%d} 10:30"
    return reverse("clinic:follow_up_create", args=[w.alice.pk]), form, what


def _follow_up_held(w) -> tuple[str, dict[str, str], str]:
    follow_up = w.alice.follow_ups.create(when="2026-01-05T10:00Z")
    url = reverse("clinic:follow_up_held", args=[follow_up.pk])
    return url, {}, "marked the follow-up of 2026-01-05 as held"


def _note(w) -> tuple[str, dict[str, str], str]:
    form = {"text": "Take it at bedtime", "shared_with_patient": "on"}
    return reverse("clinic:note_create", args=[w.alice.pk]), form, "wrote a note shared with you"


def _step_decision(w) -> tuple[str, dict[str, str], str]:
    step_day = _plan_with_step_up(w.alice, days_ago=15)
    for i in range(14):
        living.save_day(w.alice, step_day + dt.timedelta(days=i), {"insomnia": 7})
    form = {"decision": "step_back", "reason": "Insomnia every night"}
    what = f"decided the dose step of {step_day:%Y-%m-%d}: Step back to the previous dose"
    return reverse("living:clinic_step", args=[w.alice.pk]), form, what


def _procedure(w) -> tuple[str, dict[str, str], str]:
    procedure = PlannedProcedure.objects.create(
        patient=w.alice, procedure_day="2030-03-10", description="Knee arthroscopy",
        instruction="Stop 3 days before", instructed_by="Dr Rowe", last_dose_day="2030-03-06",
        entered_by=w.alice,
    )  # fmt: skip
    url = reverse("living:procedure_confirm", args=[w.alice.pk, procedure.pk])
    return url, {}, "confirmed the instruction for Knee arthroscopy on 2030-03-10"


def _trial_link(w) -> tuple[str, dict[str, str], str]:
    url = reverse("insights:trial_link", args=[insights_helpers.alice_trial_pk(w)])
    return url, {}, "issued a new pharmacist link for your trial"


WRITES = {
    "adjust_plan": Write("plan", _adjust_plan),
    "follow_up_create": Write("plan", _follow_up),
    "follow_up_held": Write("plan", _follow_up_held),
    "note_create": Write("notes", _note),
    "clinic_step": Write("plan", _step_decision),
    "procedure_confirm": Write("plan", _procedure),
    "trial_link": Write("analysis", _trial_link),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_sharing_clinicians_write_leaves_exactly_one_write_row_naming_it(client, world, name):
    url, form, what = WRITES[name].prepare(world)
    client.force_login(world.bob)
    response = client.post(url, form)
    assert response.status_code in (200, 302)
    rows = AuditEvent.objects.filter(patient=world.alice, actor=world.bob)
    assert [(r.action, r.area, r.what) for r in rows] == [("write", WRITES[name].area, what)]


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_clinician_whose_share_lacks_the_area_gets_404_and_leaves_no_row(client, world, name):
    url, form, _ = WRITES[name].prepare(world)
    area = WRITES[name].area
    # Notes need any active share, so that case is charlie's (no share at all).
    if area != "notes":
        others = [a for a in Share.all_areas() if a != area]
        Share.objects.create(patient=world.alice, clinician=world.charlie, areas=others)
    client.force_login(world.charlie)
    assert client.post(url, form).status_code == 404
    assert not AuditEvent.objects.exists()


def test_the_patient_reads_a_clinicians_note_in_their_access_log(client, world):
    url, form, what = _note(world)
    client.force_login(world.bob)
    client.post(url, form)
    client.force_login(world.alice)
    page = client.get(reverse("clinic:access_log")).content.decode()
    assert what in page and "bob" in page


@pytest.mark.parametrize("name", sorted(WRITES))
def test_the_patient_sees_every_clinician_write_on_their_access_log(client, world, name):
    url, form, what = WRITES[name].prepare(world)
    client.force_login(world.bob)
    client.post(url, form)
    client.force_login(world.alice)
    assert what in client.get(reverse("clinic:access_log")).content.decode()


def test_an_empty_note_is_not_saved_and_leaves_no_row(client, world):
    client.force_login(world.bob)
    client.post(reverse("clinic:note_create", args=[world.alice.pk]), {"text": ""})
    assert not ClinicianNote.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_refused_plan_change_leaves_neither_the_change_nor_a_row(client, world):
    _plan_with_step_up(world.alice, days_ago=40)
    client.force_login(world.bob)
    response = client.post(
        reverse("clinic:adjust_plan", args=[world.alice.pk]),
        {"dose_mg": "75", "from_day": "2030-01-01", "reason": "typo"},
    )
    assert "The dose must be between 0.1 and 50 mg, got 75." in response.content.decode()
    assert not AuditEvent.objects.filter(action="write").exists()


def test_opening_the_plan_form_stays_one_read_row(client, world):
    client.force_login(world.bob)
    client.get(reverse("clinic:adjust_plan", args=[world.alice.pk]))
    rows = AuditEvent.objects.filter(patient=world.alice)
    assert [(r.action, r.area, r.what) for r in rows] == [("read", "plan", "plan (adjust)")]


def test_reading_the_visit_report_stays_one_row_naming_its_dates(client, world):
    client.force_login(world.bob)
    url = reverse("clinic:report", args=[world.alice.pk]) + "?start=2026-10-01&end=2026-11-01"
    client.get(url)
    rows = AuditEvent.objects.filter(patient=world.alice)
    assert [(r.action, r.area, r.what) for r in rows] == [
        ("report", "report", "visit report 2026-10-01 to 2026-11-01")
    ]


def test_a_fhir_download_by_a_clinician_is_one_row(client, world):
    client.force_login(world.bob)
    client.get(reverse("clinic:fhir", args=[world.alice.pk]))
    rows = AuditEvent.objects.filter(patient=world.alice)
    assert [(r.action, r.area, r.what) for r in rows] == [("report", "export", "FHIR export")]
