"""Plan pages: versions kept with who/when/why, today's dose, pause/resume, calendar, adherence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ldn.web.accounts.clock import local_today
from ldn.web.journal.models import DoseLog
from ldn.web.therapy import plans
from ldn.web.therapy.models import PlanVersion
from tests.web.therapy_helpers import give_plan


@pytest.fixture
def alice_client(client, world):
    client.force_login(world.alice)
    return client


def test_a_plan_from_a_cited_template_is_version_one_with_author_and_reason(alice_client, world):
    today = local_today(world.alice)
    response = alice_client.post(
        reverse("therapy:plan_edit"),
        {"template": "ldnrt-standard", "start": today.isoformat(), "reason": "Dr Lee, 3 March"},
    )
    assert response.status_code == 302
    row = PlanVersion.objects.get(patient=world.alice)
    assert (row.number, row.author, row.reason) == (1, world.alice, "Dr Lee, 3 March")
    page = alice_client.get(reverse("therapy:plan")).content.decode()
    # LDN Research Trust pack: 1.5 mg for the first 2 weeks (transcribed in templates.yaml).
    assert "1.5 mg" in page and "LDN Research Trust" in page
    assert "Version 1" in page and "Dr Lee, 3 March" in page


def test_changing_the_plan_keeps_every_earlier_version(alice_client, world):
    give_plan(world.alice, "1.5@0,3@14")
    alice_client.post(
        reverse("therapy:plan_edit"),
        {
            "template": "custom",
            "steps": "1@0,2@7",
            "start": "2026-01-05",
            "reason": "Side effects: slower",
        },
    )
    rows = list(PlanVersion.objects.filter(patient=world.alice).order_by("number"))
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].steps[0]["dose_mg"] == 1.5 and rows[1].steps[0]["dose_mg"] == 1.0
    page = alice_client.get(reverse("therapy:plan")).content.decode()
    assert "Version 2" in page and "Version 1" in page and "Side effects: slower" in page


def test_bad_custom_steps_show_the_cores_message_at_the_steps_field(alice_client):
    response = alice_client.post(
        reverse("therapy:plan_edit"),
        {"template": "custom", "steps": "75@0", "start": "2026-01-05", "reason": "x"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "dose_mg must be between 0.1 and 50, got 75" in errors["steps"][0]
    assert not PlanVersion.objects.exists()


def test_a_plan_change_without_a_reason_is_refused(alice_client):
    response = alice_client.post(
        reverse("therapy:plan_edit"), {"template": "maintenance-4.5", "start": "2026-01-05"}
    )
    assert "reason" in response.context["form"].errors


def test_tonights_dose_follows_the_step_for_today(alice_client, world):
    today = local_today(world.alice)
    give_plan(world.alice, "1.5@0,3@14,4.5@28", start=today - dt.timedelta(days=15))
    response = alice_client.get(reverse("therapy:plan"))
    assert response.context["tonight"] == 3.0  # day 15 is in the 3 mg step (days 14-27)


def test_pausing_before_surgery_adds_a_version_and_the_calendar_shows_the_pause(
    alice_client, world
):
    today = local_today(world.alice)
    give_plan(world.alice, "4.5@0", start=today - dt.timedelta(days=30))
    surgery = today + dt.timedelta(days=10)
    alice_client.post(reverse("therapy:plan_pause"), {"surgery": surgery.isoformat()})
    row = plans.current_version(world.alice)
    assert row.number == 2 and "surgery" in row.reason.lower()
    plan = plans.to_core(row)
    # perioperative.yaml: hold 3 days before surgery -> the last dose is 4 days before.
    assert plan.dose_on(surgery - dt.timedelta(days=4)) == 4.5
    assert plan.dose_on(surgery - dt.timedelta(days=3)) is None
    page = alice_client.get(reverse("therapy:plan"))
    days = [d for week in page.context["calendar"] for d in week]
    assert any(d.paused for d in days) and "Before your surgery" in page.content.decode()


def test_resume_closes_the_pause_and_dosing_restarts(alice_client, world):
    today = local_today(world.alice)
    give_plan(world.alice, "4.5@0", start=today - dt.timedelta(days=30))
    alice_client.post(reverse("therapy:plan_pause"), {"surgery": today.isoformat()})
    assert plans.current_plan(world.alice).dose_on(today) is None
    restart = today + dt.timedelta(days=5)
    alice_client.post(reverse("therapy:plan_resume"), {"on": restart.isoformat()})
    plan = plans.current_plan(world.alice)
    assert plan.dose_on(restart) == 4.5 and plan.dose_on(restart - dt.timedelta(days=1)) is None
    assert plans.current_version(world.alice).number == 3


def test_weekly_adherence_counts_the_dose_log_against_the_plan(alice_client, world):
    today = local_today(world.alice)
    monday = today - dt.timedelta(days=today.weekday() + 7)  # last full week
    give_plan(world.alice, "4.5@0", start=monday - dt.timedelta(days=7))
    for offset in range(5):
        DoseLog.objects.create(
            patient=world.alice, day=monday + dt.timedelta(days=offset), status="taken"
        )
    DoseLog.objects.create(patient=world.alice, day=monday + dt.timedelta(days=5), status="missed")
    weeks = alice_client.get(reverse("therapy:plan")).context["adherence"]
    week = next(w for w in weeks if w.week_start == monday)
    # 7 evenings planned; 5 logged taken, 1 missed, Sunday not logged: 5/7.
    assert (week.planned, week.taken, week.missed, week.unrecorded) == (7, 5, 1, 1)


def test_the_calendar_covers_six_weeks_from_this_monday(alice_client, world):
    give_plan(world.alice, "4.5@0")
    calendar = alice_client.get(reverse("therapy:plan")).context["calendar"]
    assert len(calendar) == 6 and all(len(week) == 7 for week in calendar)
    assert calendar[0][0].day.weekday() == 0


def test_a_shared_clinician_reads_the_plan_but_cannot_change_it(client, world):
    give_plan(world.alice)
    client.force_login(world.bob)
    page = client.get(reverse("therapy:patient_plan", args=[world.alice.pk]))
    assert page.status_code == 200 and "Read-only" in page.content.decode()
    for name in ("therapy:plan_edit", "therapy:plan_pause", "therapy:plan_resume"):
        assert client.post(reverse(name), {"surgery": "2030-01-01"}).status_code == 403
    assert PlanVersion.objects.filter(patient=world.alice).count() == 1


def test_a_clinician_without_a_share_gets_404_for_the_plan(client, world):
    give_plan(world.alice)
    client.force_login(world.charlie)
    assert client.get(reverse("therapy:patient_plan", args=[world.alice.pk])).status_code == 404
