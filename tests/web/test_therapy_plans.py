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


def own_steps(*rows, reason="Prescribed", **extra):
    """POST data for "My own steps": rows of (dose, first day, days or "") plus empty rows."""
    data = {"template": "custom", "reason": reason, "step-TOTAL_FORMS": "4"}
    data |= {"step-INITIAL_FORMS": "0", "step-MIN_NUM_FORMS": "0", "step-MAX_NUM_FORMS": "40"}
    for i, (dose, starts, days) in enumerate(rows):
        data |= {f"step-{i}-dose_mg": dose, f"step-{i}-starts": starts, f"step-{i}-days": days}
    return data | extra


def test_changing_the_plan_keeps_every_earlier_version(alice_client, world):
    give_plan(world.alice, "1.5@0,3@14")
    alice_client.post(
        reverse("therapy:plan_edit"),
        own_steps(("1", "2026-01-05", "7"), ("2", "2026-01-12", ""), reason="Side effects: slower"),
    )
    rows = list(PlanVersion.objects.filter(patient=world.alice).order_by("number"))
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].steps[0]["dose_mg"] == 1.5 and rows[1].steps[0]["dose_mg"] == 1.0
    page = alice_client.get(reverse("therapy:plan")).content.decode()
    assert "Version 2" in page and "Version 1" in page and "Side effects: slower" in page


def test_changing_a_plan_of_own_steps_starts_from_its_rows(alice_client, world):
    alice_client.post(
        reverse("therapy:plan_edit"),
        own_steps(("1", "2026-01-05", "7"), ("2.5", "2026-01-12", ""), reason="Prescribed"),
    )
    form = alice_client.get(reverse("therapy:plan_edit")).context["form"]
    assert form["template"].value() == "custom"
    rows = [f.initial for f in form.rows.forms if f.initial]
    assert rows == [
        {"dose_mg": 1.0, "starts": dt.date(2026, 1, 5), "days": 7},
        {"dose_mg": 2.5, "starts": dt.date(2026, 1, 12), "days": None},
    ]
    assert len(form.rows.forms) == 2 + 4  # and four empty rows for new steps


def test_own_steps_are_rows_of_dose_start_and_days(alice_client, world):
    response = alice_client.post(
        reverse("therapy:plan_edit"),
        own_steps(
            ("0.5", "2026-01-05", "14"), ("1", "2026-01-19", "14"), ("1.5", "2026-02-02", "")
        ),
    )
    assert response.status_code == 302
    row = PlanVersion.objects.get(patient=world.alice)
    assert (row.name, row.start) == ("custom", dt.date(2026, 1, 5))
    assert row.steps == [
        {"dose_mg": 0.5, "from_day": 0, "to_day": 14},
        {"dose_mg": 1.0, "from_day": 14, "to_day": 28},
        {"dose_mg": 1.5, "from_day": 28, "to_day": None},
    ]
    page = alice_client.get(reverse("therapy:plan")).content.decode()
    assert "Your own steps, starting 5 January 2026" in page and "custom" not in page


def test_a_row_whose_days_do_not_reach_the_next_row_is_refused_naming_the_dates(alice_client):
    response = alice_client.post(
        reverse("therapy:plan_edit"),
        own_steps(("1", "2026-01-05", "7"), ("2", "2026-01-19", "")),
    )
    assert response.context["form"].non_field_errors() == [
        "The 1 mg step from 5 January 2026 lasts 7 days, so the next step should start on "
        "12 January 2026, not 19 January 2026."
    ]
    assert not PlanVersion.objects.exists()


def test_a_row_above_50_mg_is_refused_at_its_dose(alice_client):
    response = alice_client.post(reverse("therapy:plan_edit"), own_steps(("75", "2026-01-05", "")))
    rows = response.context["form"].rows
    assert rows.forms[0].errors["dose_mg"] == ["The dose must be between 0.1 and 50 mg, got 75."]
    assert not PlanVersion.objects.exists()


def test_more_rows_adds_empty_rows_and_keeps_what_was_typed_without_saving(alice_client):
    response = alice_client.post(
        reverse("therapy:plan_edit"), own_steps(("1", "2026-01-05", ""), more_rows="1")
    )
    form = response.context["form"]
    assert len(form.rows.forms) == 8 and not form.errors
    assert 'name="step-0-dose_mg" value="1"' in response.content.decode()
    assert not PlanVersion.objects.exists()


@pytest.mark.parametrize(
    ("dose", "saved", "asks"),
    [("4.5", True, False), ("4.6", False, True), ("50", False, True), ("50.1", False, False)],
)
def test_the_dose_rule_in_the_plan_editor_without_confirmation(alice_client, dose, saved, asks):
    response = alice_client.post(
        reverse("therapy:plan_edit"),
        own_steps(("1.5", "2026-01-05", "14"), (dose, "2026-01-19", "")),
    )
    assert PlanVersion.objects.exists() is saved
    if not saved:
        page = response.content.decode()
        asked = f"Yes, {dose} mg is right: I know it is above the usual LDN range of 0.5 to 4.5 mg."
        assert (asked in page) is asks


@pytest.mark.parametrize(("dose", "saved"), [("4.6", True), ("50", True), ("50.1", False)])
def test_the_dose_rule_in_the_plan_editor_once_confirmed(alice_client, world, dose, saved):
    alice_client.post(
        reverse("therapy:plan_edit"),
        own_steps(("1.5", "2026-01-05", "14"), (dose, "2026-01-19", ""), confirm_high_dose=dose),
    )
    assert PlanVersion.objects.filter(patient=world.alice).exists() is saved


def test_the_45_mg_typo_is_not_saved_and_the_question_names_dose_and_range(alice_client):
    response = alice_client.post(reverse("therapy:plan_edit"), own_steps(("45", "2026-01-05", "")))
    assert not PlanVersion.objects.exists()
    assert response.context["form"].errors["confirm_high_dose"] == [
        "45 mg is above the usual LDN range of 0.5 to 4.5 mg (LDN Research Trust 2021). "
        "Check the dose (4.5 typed as 45?) and confirm it only if your prescriber ordered it."
    ]


def test_a_confirmation_of_45_mg_does_not_confirm_46_mg(alice_client):
    alice_client.post(
        reverse("therapy:plan_edit"),
        own_steps(("46", "2026-01-05", ""), confirm_high_dose="45"),
    )
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


def test_the_plan_page_has_one_surgery_entry_leading_to_the_prescribers_instruction(
    alice_client, world
):
    give_plan(world.alice, "4.5@0")
    page = alice_client.get(reverse("therapy:plan")).content.decode()
    assert page.count("Surgery or procedure coming up?") == 1
    assert f'<a class="button" href="{reverse("living:surgery")}">Enter the prescriber' in page
    assert 'name="surgery"' not in page


def test_a_procedure_shows_on_the_plan_page_and_pauses_the_calendar(alice_client, world):
    today = local_today(world.alice)
    give_plan(world.alice, "4.5@0", start=today - dt.timedelta(days=30))
    surgery = today + dt.timedelta(days=10)
    alice_client.post(
        reverse("living:surgery"),
        {"description": "Hip", "procedure_day": surgery.isoformat(), "instructed_by": "Dr Rowe",
         "instruction": "Stop 3 days before.", "last_dose_day": (surgery - dt.timedelta(days=4)).isoformat()},
    )  # fmt: skip
    page = alice_client.get(reverse("therapy:plan"))
    days = {d.day: d for week in page.context["calendar"] for d in week}
    assert not days[surgery - dt.timedelta(days=4)].paused and days[surgery].paused
    assert page.content.decode().count(f"Hip on {surgery:%A %-d %B %Y}") == 1


def test_a_new_plan_keeps_a_procedure_pause_that_is_not_over(alice_client, world):
    today = local_today(world.alice)
    give_plan(world.alice, "4.5@0", start=today - dt.timedelta(days=30))
    surgery = today + dt.timedelta(days=10)
    alice_client.post(
        reverse("living:surgery"),
        {"description": "Hip", "procedure_day": surgery.isoformat(), "instructed_by": "Dr Rowe",
         "instruction": "Stop 3 days before.", "last_dose_day": (surgery - dt.timedelta(days=4)).isoformat(),
         "restart_day": (surgery + dt.timedelta(days=5)).isoformat()},
    )  # fmt: skip
    page = alice_client.post(
        reverse("therapy:plan_edit"),
        {"template": "ldnrt-standard", "start": today.isoformat(), "reason": "Dr Lee"},
        follow=True,
    ).content.decode()
    row = plans.current_version(world.alice)
    assert (row.number, row.reason) == (3, "Dr Lee")
    assert row.pauses == [
        {"start": (surgery - dt.timedelta(days=3)).isoformat(),
         "end": (surgery + dt.timedelta(days=4)).isoformat(),
         "reason": f"Hip on {surgery:%-d %B %Y}"},
    ]  # fmt: skip
    assert f"The pause from {surgery - dt.timedelta(days=3):%-d %B %Y} (Hip on" in page


def test_resume_closes_the_pause_and_dosing_restarts(alice_client, world):
    today = local_today(world.alice)
    give_plan(world.alice, "4.5@0", start=today - dt.timedelta(days=30))
    alice_client.post(
        reverse("therapy:plan_pause"),
        {"start": today.isoformat(), "end": "", "reason": "holiday"},
    )
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
        assert client.post(reverse(name), {"start": "2030-01-01", "reason": "x"}).status_code == 403
    assert PlanVersion.objects.filter(patient=world.alice).count() == 1


def test_a_clinician_without_a_share_gets_404_for_the_plan(client, world):
    give_plan(world.alice)
    client.force_login(world.charlie)
    assert client.get(reverse("therapy:patient_plan", args=[world.alice.pk])).status_code == 404
