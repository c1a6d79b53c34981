"""Living with LDN pages: the extra check-in set, the clinician's step decision, the timing
experiment, the thyroid co-watch, the surgery instruction and liquid bottles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse

from ldn.dosing.plan import PlanStep, TitrationPlan
from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import PatientProfile
from ldn.web.journal.models import Medication
from ldn.web.living import services
from ldn.web.living.models import (
    Bottle,
    LivingDay,
    PlannedProcedure,
    StepDecision,
    ThyroidRecord,
    TimingChange,
    TimingExperiment,
)
from ldn.web.therapy import plans
from ldn.web.therapy.models import PlanVersion
from ldn.web.therapy.models import SentReminder as SentReminderModel


def _plan_with_step_up(patient, days_ago: int) -> dt.date:
    """1.5 mg until `days_ago` days before today, then 3 mg; returns the step-up day."""
    today = local_today(patient)
    step_day = today - dt.timedelta(days=days_ago)
    start = step_day - dt.timedelta(days=14)
    plan = TitrationPlan(start, (PlanStep(1.5, 0, 14), PlanStep(3.0, 14, None)))
    plans.save_version(
        patient, plan, author=patient, reason="Start", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    return step_day


@pytest.fixture
def alice_client(client, world):
    client.force_login(world.alice)
    return client


def test_the_check_in_asks_the_extra_set_during_a_window_and_saves_it(alice_client, world):
    step_day = _plan_with_step_up(world.alice, days_ago=2)
    page = alice_client.get(reverse("journal:checkin_day", args=[step_day]))
    assert b"A few extra questions" in page.content
    assert b"day 1 after step up from 1.5 to 3 mg" in page.content
    response = alice_client.post(
        reverse("living:day_save", args=[step_day]), {"insomnia": "6", "worst_symptom": "7"}
    )
    assert response.status_code == 302
    assert LivingDay.objects.get(patient=world.alice, day=step_day).scores == {
        "insomnia": 6, "worst_symptom": 7,
    }  # fmt: skip


def test_outside_a_window_nothing_extra_is_asked_or_saved(alice_client, world):
    today = local_today(world.alice)
    page = alice_client.get(reverse("journal:checkin_day", args=[today]))
    assert b"A few extra questions" not in page.content
    alice_client.post(reverse("living:day_save", args=[today]), {"insomnia": "6"})
    assert not LivingDay.objects.exists()


def test_an_empty_extra_set_is_refused_with_a_message(alice_client, world):
    step_day = _plan_with_step_up(world.alice, days_ago=1)
    response = alice_client.post(reverse("living:day_save", args=[step_day]), {}, follow=True)
    assert "Nothing was rated: choose a number from 0 to 10 for at least one item." in (
        response.content.decode()
    )
    assert not LivingDay.objects.exists()


def test_a_future_day_is_refused(alice_client, world):
    tomorrow = local_today(world.alice) + dt.timedelta(days=1)
    alice_client.post(reverse("living:day_save", args=[tomorrow]), {"insomnia": "1"})
    assert not LivingDay.objects.exists()


def _record_flares(patient, step_day: dt.date) -> None:
    for i in range(14):
        services.save_day(patient, step_day + dt.timedelta(days=i), {"insomnia": 7})


def test_the_clinician_decision_becomes_a_plan_version_with_author_and_reason(client, world):
    step_day = _plan_with_step_up(world.alice, days_ago=15)
    _record_flares(world.alice, step_day)
    client.force_login(world.bob)
    page = client.get(reverse("living:clinic_step", args=[world.alice.pk]))
    assert "Not settling: 14 of 14 recorded days had a flare" in page.content.decode()
    assert PlanVersion.objects.filter(patient=world.alice).count() == 1  # nothing changed yet
    client.post(
        reverse("living:clinic_step", args=[world.alice.pk]),
        {"decision": "step_back", "reason": "Insomnia every night"},
    )
    version = PlanVersion.objects.filter(patient=world.alice).latest("number")
    assert (version.number, version.author, version.author_name) == (2, world.bob, "bob")
    assert version.reason == (
        f"After the tolerance window of Step up from 1.5 to 3 mg ({step_day:%-d %b}): "
        "step back to the previous dose. Insomnia every night"
    )
    today = local_today(world.alice)
    assert plans.current_plan(world.alice).dose_on(today) == 1.5
    decision = StepDecision.objects.get(patient=world.alice)
    assert (decision.proposal, decision.decision, decision.decided_by) == (
        "step_back", "step_back", world.bob,
    )  # fmt: skip


def test_the_patient_sees_the_summary_and_that_nothing_changes_by_itself(alice_client, world):
    step_day = _plan_with_step_up(world.alice, days_ago=15)
    for i in range(10):
        services.save_day(world.alice, step_day + dt.timedelta(days=i), {"insomnia": 0})
    page = alice_client.get(reverse("living:index")).content.decode()
    assert "Tolerated: no flare on any of the 10 recorded days." in page
    assert "Our suggestion:</strong> Our suggestion: go on with the plan." in page or (
        "go on with the plan" in page
    )
    assert "Your clinician sees this summary and decides the next step" in page


def test_the_timing_experiment_needs_the_prescribers_agreement(alice_client, world):
    today = local_today(world.alice)
    response = alice_client.post(
        reverse("living:timing"),
        {"start": today + dt.timedelta(days=1), "block_days": "7", "pairs": "2", "morning_time": "08:00",
         "bedtime_time": "22:00", "prescriber": "Dr Rowe"},
    )  # fmt: skip
    assert "Tick the box once your prescriber has agreed" in response.content.decode()
    assert not TimingExperiment.objects.exists()


def test_starting_the_experiment_records_each_blocks_dose_time(alice_client, world):
    today = local_today(world.alice)
    start = today + dt.timedelta(days=1)
    alice_client.post(
        reverse("living:timing"),
        {"start": start, "block_days": "7", "pairs": "2", "morning_time": "08:00", "bedtime_time": "22:00",
         "prescriber": "Dr Rowe", "agreed": "on"},
    )  # fmt: skip
    experiment = TimingExperiment.objects.get(patient=world.alice)
    changes = list(TimingChange.objects.filter(patient=world.alice))
    assert [c.day for c in changes] == [start + dt.timedelta(days=7 * i) for i in range(4)]
    assert sorted(c.time_of_day for c in changes) == ["bedtime", "bedtime", "morning", "morning"]
    first = changes[0]
    assert services.dose_time_on(world.alice, start) == first.dose_time
    assert services.dose_time_on(world.alice, today) == dt.time(22, 0)  # profile bedtime
    assert experiment.prescriber == "Dr Rowe"


def test_a_past_start_is_refused(alice_client, world):
    today = local_today(world.alice)
    response = alice_client.post(
        reverse("living:timing"),
        {"start": today - dt.timedelta(days=3), "block_days": "7", "pairs": "2", "morning_time": "08:00",
         "bedtime_time": "22:00", "prescriber": "Dr Rowe", "agreed": "on"},
    )  # fmt: skip
    assert "The first day must be today or later" in response.content.decode()


def test_the_experiment_result_reads_the_check_ins(world):
    today = local_today(world.alice)
    start = today - dt.timedelta(days=45)
    e = services.start_experiment(
        world.alice, start=start, block_days=10, morning_time=dt.time(8), bedtime_time=dt.time(22),
        prescriber="Dr Rowe", rng=np.random.default_rng(5),
    )  # fmt: skip
    schedule = services.schedule_of(e)
    for i in range(40):
        day = start + dt.timedelta(days=i)
        morning = services.timing.time_on(schedule, day) == "morning"
        dreams = (1 if morning else 7) + (1 if i == 5 else 0)  # one day off: pairs differ a bit
        services.save_day(world.alice, day, {"vivid_dreams": dreams, "energy": 5 + (i % 3 == 0)})
    result = services.experiment_result(e)
    dreams = next(r for r in result.outcomes if r.outcome.key == "vivid_dreams")
    assert dreams.claim == "morning_better"
    assert dreams.difference == pytest.approx(6.0, abs=0.2)
    assert (dreams.contrast.morning_blocks, dreams.contrast.bedtime_blocks) == (2, 2)
    assert dreams.check.startswith("Pair by pair (the N-of-1 check): +")
    energy = next(r for r in result.outcomes if r.outcome.key == "energy")
    assert energy.claim == "no_clear_difference"


def test_the_thyroid_cowatch_needs_the_condition_and_a_thyroid_hormone(alice_client, world):
    PatientProfile.objects.filter(user=world.alice).update(conditions=["Hashimoto's thyroiditis"])
    assert services.thyroid_match(world.alice) is None
    Medication.objects.create(patient=world.alice, name="Levothyroxine 75 mcg")
    match = services.thyroid_match(world.alice)
    assert match.hormones == ("Levothyroxine 75 mcg",)
    step_day = _plan_with_step_up(world.alice, days_ago=20)
    assert services.thyroid_watch_open(world.alice, local_today(world.alice)).day == step_day
    page = alice_client.get(reverse("living:thyroid")).content.decode()
    assert "Palpitations, a fast heartbeat, heat intolerance" in page
    assert "No thyroid test recorded yet." in page


def test_a_thyroid_result_in_the_future_is_refused(alice_client, world):
    tomorrow = local_today(world.alice) + dt.timedelta(days=1)
    response = alice_client.post(
        reverse("living:thyroid"), {"day": tomorrow, "kind": "tsh", "value": "2.1"}
    )
    assert "The date must not be in the future" in response.content.decode()
    assert not ThyroidRecord.objects.exists()
    today = local_today(world.alice)
    wrong = alice_client.post(
        reverse("living:thyroid"), {"day": today, "kind": "free_t4", "value": "1.2", "unit": "mU/L"}
    )
    assert "mU/L is not a unit for Free T4; use ng/dL or pmol/L." in wrong.content.decode()
    alice_client.post(
        reverse("living:thyroid"),
        {"day": today, "kind": "free_t4", "value": "1.2", "unit": "ng/dL"},
    )
    assert ThyroidRecord.objects.get().unit == "ng/dL"


def _knee_plan(patient) -> None:
    plans.save_version(
        patient, TitrationPlan(dt.date(2030, 1, 1), (PlanStep(4.5, 0, None),)), author=patient,
        reason="Start",
    )  # fmt: skip


def test_the_surgery_instruction_is_stored_as_given_and_pauses_the_plan(alice_client, world):
    _knee_plan(world.alice)
    bad = alice_client.post(
        reverse("living:surgery"),
        {"description": "Knee", "procedure_day": "2030-03-10", "instructed_by": "Dr Rowe",
         "instruction": "Stop LDN 3 days before.", "last_dose_day": "2030-03-11"},
    )  # fmt: skip
    assert "The last dose must be before the procedure on 2030-03-10." in bad.content.decode()
    assert PlanVersion.objects.filter(patient=world.alice).count() == 1
    alice_client.post(
        reverse("living:surgery"),
        {"description": "Knee", "procedure_day": "2030-03-10", "instructed_by": "Dr Rowe",
         "instruction": "Stop LDN 3 days before.", "last_dose_day": "2030-03-06",
         "restart_day": "2030-03-20"},
    )  # fmt: skip
    p = PlannedProcedure.objects.get()
    assert p.instruction == "Stop LDN 3 days before."
    version = plans.current_version(world.alice)
    assert p.plan_version == version and version.number == 2 and version.author == world.alice
    assert version.reason == "Paused for Knee on 10 March 2030: the instruction of Dr Rowe"
    assert version.pauses == [
        {"start": "2030-03-07", "end": "2030-03-19", "reason": "Knee on 10 March 2030"}
    ]
    plan = plans.to_core(version)
    assert plan.dose_on(dt.date(2030, 3, 6)) == 4.5 and plan.dose_on(dt.date(2030, 3, 20)) == 4.5
    assert plan.dose_on(dt.date(2030, 3, 7)) is None and plan.dose_on(dt.date(2030, 3, 19)) is None
    page = alice_client.get(reverse("living:surgery")).content.decode()
    assert "opioid-free for a minimum of 7 to 10 days" in page
    assert "Plan version 2 pauses the doses and dose reminders in between." in page


def test_an_instruction_overlapping_another_pause_stores_nothing(alice_client, world):
    _knee_plan(world.alice)
    paused = plans.current_plan(world.alice).pause(dt.date(2030, 3, 1), None, "holiday")
    plans.save_version(world.alice, paused, author=world.alice, reason="Paused: holiday")
    page = alice_client.post(
        reverse("living:surgery"),
        {"description": "Knee", "procedure_day": "2030-03-10", "instructed_by": "Dr Rowe",
         "instruction": "Stop LDN 3 days before.", "last_dose_day": "2030-03-06"},
    ).content.decode()  # fmt: skip
    assert "Not saved: pause 2030-03-07..open overlaps the existing pause" in page
    assert not PlannedProcedure.objects.exists()
    assert PlanVersion.objects.filter(patient=world.alice).count() == 2


def test_without_a_plan_the_surgery_page_asks_to_start_one_and_stores_nothing(alice_client, world):
    page = alice_client.get(reverse("living:surgery")).content.decode()
    assert "Start your plan first: the instruction pauses the plan's doses." in page
    response = alice_client.post(
        reverse("living:surgery"),
        {"description": "Knee", "procedure_day": "2030-03-10", "instructed_by": "Dr Rowe",
         "instruction": "Stop LDN 3 days before.", "last_dose_day": "2030-03-06"},
    )  # fmt: skip
    assert "Not saved: there is no plan to pause yet." in response.content.decode()
    assert not PlannedProcedure.objects.exists()


def test_resuming_an_open_procedure_pause_records_the_restart_day(alice_client, world):
    _knee_plan(world.alice)
    alice_client.post(
        reverse("living:surgery"),
        {"description": "Knee", "procedure_day": "2030-03-10", "instructed_by": "Dr Rowe",
         "instruction": "Restart when off opioids.", "last_dose_day": "2030-03-06"},
    )  # fmt: skip
    assert plans.current_plan(world.alice).dose_on(dt.date(2030, 4, 1)) is None
    alice_client.post(reverse("therapy:plan_resume"), {"on": "2030-03-18"})
    assert PlannedProcedure.objects.get().restart_day == dt.date(2030, 3, 18)
    assert plans.current_plan(world.alice).dose_on(dt.date(2030, 3, 18)) == 4.5


def test_the_clinician_confirms_a_procedure(client, world):
    p = PlannedProcedure.objects.create(
        patient=world.alice, procedure_day="2030-03-10", description="Knee", instruction="x",
        instructed_by="Dr Rowe", last_dose_day="2030-03-06", entered_by=world.alice,
    )  # fmt: skip
    client.force_login(world.bob)
    client.post(reverse("living:procedure_confirm", args=[world.alice.pk, p.pk]))
    p.refresh_from_db()
    assert p.confirmed_by == world.bob


def test_each_new_bottle_sets_the_volume_per_step(alice_client, world):
    _plan_with_step_up(world.alice, days_ago=3)
    alice_client.post(
        reverse("living:liquid"),
        {"started_on": "2026-01-01", "concentration_mg_per_ml": "1", "volume_ml": "50"},
    )
    rows = services.step_volumes(plans.current_plan(world.alice), Bottle.objects.first())
    assert [r["dose"].volume_ml for r in rows] == [1.5, 3.0]
    alice_client.post(
        reverse("living:liquid"),
        {"started_on": "2026-02-01", "concentration_mg_per_ml": "5", "volume_ml": "30"},
    )
    newest = Bottle.objects.first()
    assert newest.concentration_mg_per_ml == Decimal("5.00")
    rows = services.step_volumes(plans.current_plan(world.alice), newest)
    assert [r["dose"].volume_ml for r in rows] == [0.3, 0.6]


def test_the_missed_dose_cutoff_follows_the_morning_block(world):
    from ldn.web.therapy import reminders

    profile = PatientProfile.objects.get(user=world.alice)  # Europe/Berlin, bedtime 22:00
    now = dt.datetime(2026, 1, 15, 20, 0, tzinfo=dt.UTC)  # 21:00 in Berlin
    # Bedtime 22:00 + 12 h cutoff: today's evening is not yet overdue, yesterday's is.
    assert reminders.missed_evening(world.alice, profile, now) == dt.date(2026, 1, 14)
    TimingChange.objects.create(
        patient=world.alice, day=dt.date(2026, 1, 10), time_of_day="morning",
        dose_time=dt.time(8, 0), reason="Timing experiment, block 1 of 4",
    )  # fmt: skip
    # Morning 08:00 + 12 h = 20:00 Berlin, passed at 21:00: today's dose is the overdue one.
    assert reminders.missed_evening(world.alice, profile, now) == dt.date(2026, 1, 15)


def test_no_missed_dose_email_between_the_last_dose_and_the_restart(world, settings):
    from ldn.web.therapy import reminders

    _plan_with_step_up(world.alice, days_ago=5)
    profile = PatientProfile.objects.get(user=world.alice)
    now = dt.datetime.now(dt.UTC)
    day = reminders.missed_evening(world.alice, profile, now)
    assert reminders.send_missed_dose(world.alice, profile, now) is True  # due before the pause
    SentReminderModel.objects.all().delete()
    services.save_procedure(
        world.alice,
        {"procedure_day": day + dt.timedelta(days=2), "description": "Knee",
         "instruction": "Stop 3 days before", "instructed_by": "Dr Rowe",
         "last_dose_day": day - dt.timedelta(days=1), "restart_day": None},
        by=world.alice,
    )  # fmt: skip
    assert reminders.send_missed_dose(world.alice, profile, now) is False
    assert not SentReminderModel.objects.exists()


def test_the_json_export_holds_timing_changes_and_extra_answers(world):
    from ldn.web.journal.bundle import export_bundle

    TimingChange.objects.create(
        patient=world.alice, day=dt.date(2026, 1, 10), time_of_day="morning",
        dose_time=dt.time(8, 0), reason="Timing experiment, block 1 of 4",
    )  # fmt: skip
    services.save_day(world.alice, dt.date(2026, 1, 11), {"vivid_dreams": 3})
    bundle = export_bundle(world.alice)
    assert [
        {k: v for k, v in t.items() if k != "created_at"} for t in bundle.timing_changes
    ] == [
        {"day": "2026-01-10", "time_of_day": "morning", "dose_time": "08:00",
         "reason": "Timing experiment, block 1 of 4", "experiment_seal": None},
    ]  # fmt: skip
    assert [(d["day"], d["scores"]) for d in bundle.living_days] == [
        ("2026-01-11", {"vivid_dreams": 3})
    ]


# --- #20 item 4: the clinician enters the prescriber's surgery instruction -------------------

KNEE = {
    "description": "Knee replacement", "procedure_day": "2030-03-10", "instructed_by": "Dr Rowe",
    "instruction": "Stop LDN 3 days before.\nRestart when off opioids.",
    "last_dose_day": "2030-03-06", "restart_day": "2030-03-20",
}  # fmt: skip


def test_the_clinician_enters_the_instruction_as_given_with_themselves_as_author(client, world):
    _knee_plan(world.alice)
    client.force_login(world.bob)
    response = client.post(reverse("living:clinic_procedure_new", args=[world.alice.pk]), KNEE)
    assert response.status_code == 302
    p = PlannedProcedure.objects.get()
    assert (p.patient, p.entered_by, p.confirmed_by) == (world.alice, world.bob, world.bob)
    assert p.instruction == "Stop LDN 3 days before.\nRestart when off opioids."
    assert (p.instructed_by, p.last_dose_day, p.restart_day) == (
        "Dr Rowe", dt.date(2030, 3, 6), dt.date(2030, 3, 20),
    )  # fmt: skip
    version = plans.current_version(world.alice)
    assert p.plan_version == version and (version.author, version.number) == (world.bob, 2)
    assert plans.to_core(version).dose_on(dt.date(2030, 3, 7)) is None
    client.force_login(world.alice)
    page = client.get(reverse("living:surgery")).content.decode()
    assert "Entered by bob (clinician) on " in page
    assert "Stop LDN 3 days before.<br>Restart when off opioids." in page


def test_the_clinicians_entry_with_a_last_dose_after_the_procedure_stores_nothing(client, world):
    client.force_login(world.bob)
    page = client.post(
        reverse("living:clinic_procedure_new", args=[world.alice.pk]),
        KNEE | {"last_dose_day": "2030-03-11"},
    ).content.decode()
    assert "The last dose must be before the procedure on 2030-03-10." in page
    assert not PlannedProcedure.objects.exists()


def test_a_clinician_without_a_share_cannot_enter_an_instruction(client, world):
    client.force_login(world.charlie)
    response = client.post(reverse("living:clinic_procedure_new", args=[world.alice.pk]), KNEE)
    assert response.status_code == 404
    assert not PlannedProcedure.objects.exists()


def test_the_patient_view_shows_the_procedure_once_and_links_to_it(client, world):
    _knee_plan(world.alice)
    client.force_login(world.bob)
    client.post(reverse("living:clinic_procedure_new", args=[world.alice.pk]), KNEE)
    page = client.get(reverse("clinic:patient", args=[world.alice.pk])).content.decode()
    url = reverse("living:clinic_procedure_new", args=[world.alice.pk])
    assert f'<a href="{url}">Surgery or procedure: the prescriber\'s instruction</a>' in page
    assert page.count("Knee replacement on 10 Mar 2030") == 1
    assert "last dose 6 Mar, restart 20 Mar; instruction from Dr Rowe, confirmed." in page


def test_the_visit_report_lists_the_procedure_with_its_instruction_once(client, world):
    _knee_plan(world.alice)
    client.force_login(world.bob)
    client.post(reverse("living:clinic_procedure_new", args=[world.alice.pk]), KNEE)
    page = client.get(reverse("clinic:report", args=[world.alice.pk])).content.decode()
    assert (
        page.count(
            "Knee replacement on 10 Mar 2030, instruction from Dr Rowe: “Stop LDN 3 days before."
        )
        == 1
    )
    assert "Last dose 6 Mar, restart 20 Mar (plan v2); confirmed by a clinician." in page


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_both_surgery_pages_list_the_perioperative_and_opioid_free_sources(client, world, who):
    client.force_login(getattr(world, who))
    url = (
        reverse("living:surgery")
        if who == "alice"
        else reverse("living:clinic_procedure_new", args=[world.alice.pk])
    )
    page = client.get(url).content.decode()
    sources = page[page.index("<summary><h2>Sources</h2></summary>") :]
    for key in ("whately2023", "ldnrt_surgery_dickson", "ldnrt_surgery_moser", "goel2024",
                "naltrexone_interval_summary"):  # fmt: skip
        assert f'<li id="src-{key}">' in sources, key
        assert f'href="#src-{key}"' in page or key == "naltrexone_interval_summary"


# --- #20 item 5: liquid LDN at each refill ---------------------------------------------------


def _liquid_patient(patient, *, bottle_started_days_ago: int, ml: str, form: str = "liquid"):
    """3 mg a day for the last 30 days; the last check-in named `form`; a 1 mg/ml bottle."""
    _plan_with_step_up(patient, days_ago=30)
    today = local_today(patient)
    from ldn.web.journal.models import DoseLog

    DoseLog.objects.create(
        patient=patient, day=today - dt.timedelta(days=1), status="taken", form=form
    )
    return Bottle.objects.create(
        patient=patient, started_on=today - dt.timedelta(days=bottle_started_days_ago),
        concentration_mg_per_ml=Decimal("1"), volume_ml=Decimal(ml),
    )  # fmt: skip


def test_the_refill_is_expected_when_the_bottle_no_longer_holds_a_days_volume(world):
    bottle = _liquid_patient(world.alice, bottle_started_days_ago=0, ml="16")
    # 3 ml a day: 5 days use 15 ml, 1 ml left on day 5 is less than a dose
    plan = plans.current_plan(world.alice)
    assert services.expected_refill(plan, bottle) == bottle.started_on + dt.timedelta(days=5)


def test_the_dashboard_asks_new_bottle_on_the_expected_refill_day(alice_client, world):
    _liquid_patient(world.alice, bottle_started_days_ago=5, ml="15")
    today = local_today(world.alice)
    page = alice_client.get(reverse("dashboard")).content.decode()
    assert "New bottle?" in page
    assert (
        f"would be used up by {today:%A} {today.day} {today:%B} at your planned doses. "
        '<span class="muted">Our suggestion, from the bottle\'s volume and the planned daily '
        "volume.</span>"
    ) in page
    alice_client.post(
        reverse("living:liquid"),
        {"started_on": today.isoformat(), "concentration_mg_per_ml": "5", "volume_ml": "30"},
    )
    current = services.current_bottle(world.alice, today)
    assert (current.started_on, current.concentration_mg_per_ml) == (today, Decimal("5.00"))
    assert "New bottle?" not in alice_client.get(reverse("dashboard")).content.decode()


def test_no_prompt_before_the_refill_day(alice_client, world):
    _liquid_patient(world.alice, bottle_started_days_ago=4, ml="15")
    assert "New bottle?" not in alice_client.get(reverse("dashboard")).content.decode()


def test_no_prompt_when_the_last_check_in_named_capsules(alice_client, world):
    _liquid_patient(world.alice, bottle_started_days_ago=5, ml="15", form="capsule")
    assert "New bottle?" not in alice_client.get(reverse("dashboard")).content.decode()


def test_a_liquid_patient_without_a_bottle_is_asked_for_one(alice_client, world):
    _liquid_patient(world.alice, bottle_started_days_ago=5, ml="15")
    Bottle.objects.all().delete()
    page = alice_client.get(reverse("dashboard")).content.decode()
    assert "You take liquid LDN but no bottle is recorded yet." in page


def test_the_plan_page_shows_the_volume_from_the_current_bottle(alice_client, world):
    _liquid_patient(world.alice, bottle_started_days_ago=5, ml="15")
    today = local_today(world.alice)
    Bottle.objects.create(
        patient=world.alice, started_on=today + dt.timedelta(days=3),
        concentration_mg_per_ml=Decimal("5"), volume_ml=Decimal("30"),
    )  # fmt: skip
    page = alice_client.get(reverse("therapy:plan")).content.decode()
    assert '<th scope="col">Volume from your current bottle</th>' in page
    # the bottle started 5 days ago (1 mg/ml), not the one starting in 3 days
    assert "<td>1.5 ml</td>" in page and "<td>3 ml</td>" in page
    assert "at 1 mg/ml, rounded to 0.1 ml syringe marks." in page
    Bottle.objects.filter(started_on__gt=today).update(started_on=today)
    page = alice_client.get(reverse("therapy:plan")).content.decode()
    assert "<td>0.3 ml</td>" in page and "<td>0.6 ml</td>" in page


def test_the_plan_page_has_no_volume_column_without_a_bottle(alice_client, world):
    _plan_with_step_up(world.alice, days_ago=3)
    page = alice_client.get(reverse("therapy:plan")).content.decode()
    assert "Volume from your current bottle" not in page
