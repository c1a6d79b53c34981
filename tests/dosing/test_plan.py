"""Titration plans: parsing, today's dose, pauses, versions, templates, adherence, forms."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ldn.dosing import (
    PlanError,
    PlanHistory,
    PlanStep,
    dose_forms,
    parse_steps,
    pause_for_procedure,
    plan_from_steps,
    surgery_guidance,
    template,
    templates,
    weekly_adherence,
)

START = date(2025, 3, 3)  # a Monday


def test_step_string_parses_into_contiguous_half_open_steps() -> None:
    assert parse_steps("1.5@0,3@14,4.5@28") == (
        PlanStep(1.5, 0, 14),
        PlanStep(3.0, 14, 28),
        PlanStep(4.5, 28, None),
    )


def test_an_explicit_end_closes_the_last_step() -> None:
    assert parse_steps("1.5@0,3@14-28")[-1] == PlanStep(3.0, 14, 28)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "got an empty string"),
        ("1.5", "step 1 must look like DOSE@DAY"),
        ("1.5@0,abc", "step 2 must look like DOSE@DAY"),
        ("1.5@0,3@14,2@7", "must strictly increase"),
        ("3@5", "first step must start on day 0"),
        ("75@0", "dose_mg must be between 0.1 and 50 mg, got 75"),
        ("0@0", "dose_mg must be between 0.1 and 50 mg, got 0"),
        ("1.5@0-10,3@14", "ends on day 10 but the next step starts on day 14"),
    ],
)
def test_bad_step_strings_give_plan_errors_naming_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(PlanError, match=fragment):
        plan_from_steps(text, START)


def test_dose_on_follows_the_steps_and_is_none_before_start() -> None:
    plan = plan_from_steps("1.5@0,3@14,4.5@28", START)
    assert plan.dose_on(date(2025, 3, 2)) is None
    assert plan.dose_on(START) == 1.5
    assert plan.dose_on(date(2025, 3, 16)) == 1.5  # day 13
    assert plan.dose_on(date(2025, 3, 17)) == 3.0  # day 14
    assert plan.dose_on(date(2026, 1, 1)) == 4.5  # open-ended last step


def test_a_closed_plan_has_no_dose_after_its_end() -> None:
    plan = plan_from_steps("1.5@0-7", START)
    assert plan.end == date(2025, 3, 9)
    assert plan.dose_on(date(2025, 3, 10)) is None


def test_pause_stops_doses_and_resume_restarts_them() -> None:
    plan = plan_from_steps("4.5@0", START).pause(date(2025, 4, 1), reason="surgery")
    assert plan.dose_on(date(2025, 3, 31)) == 4.5
    assert plan.dose_on(date(2025, 4, 20)) is None
    resumed = plan.resume(date(2025, 4, 10))
    assert resumed.dose_on(date(2025, 4, 9)) is None
    assert resumed.dose_on(date(2025, 4, 10)) == 4.5


def test_overlapping_pauses_and_resume_without_pause_are_refused() -> None:
    plan = plan_from_steps("4.5@0", START).pause(date(2025, 4, 1), date(2025, 4, 5))
    with pytest.raises(PlanError, match="overlaps"):
        plan.pause(date(2025, 4, 3))
    with pytest.raises(PlanError, match="needs an open pause"):
        plan.resume(date(2025, 4, 10))


def test_the_sources_longest_stop_is_three_days_as_whately_and_stead_2023() -> None:
    # Whately & Stead 2023: stop oral naltrexone 3 days before surgery (doi:10.60115/11055/1180).
    guidance = surgery_guidance()
    assert guidance.hold_days == 3
    assert guidance.last_dose_by(date(2025, 5, 10)) == date(2025, 5, 6)


def test_a_procedure_pause_runs_from_the_day_after_the_last_dose_to_the_day_before_restart():
    plan = pause_for_procedure(
        plan_from_steps("4.5@0", START), date(2025, 5, 10), date(2025, 5, 7), date(2025, 5, 14),
        "Knee on 2025-05-10",
    )  # fmt: skip
    assert plan.dose_on(date(2025, 5, 7)) == 4.5
    assert plan.dose_on(date(2025, 5, 8)) is None and plan.dose_on(date(2025, 5, 13)) is None
    assert plan.dose_on(date(2025, 5, 14)) == 4.5
    open_ended = pause_for_procedure(
        plan_from_steps("4.5@0", START), date(2025, 5, 10), date(2025, 5, 7), None, "Knee"
    )
    assert open_ended.pauses[0].end is None


def test_a_procedure_pause_refuses_a_last_dose_on_the_procedure_day():
    with pytest.raises(
        PlanError, match="last_dose_day must be before the procedure on 2025-05-10, got 2025-05-10"
    ):
        pause_for_procedure(
            plan_from_steps("4.5@0", START), date(2025, 5, 10), date(2025, 5, 10), None, "Knee"
        )
    with pytest.raises(
        PlanError, match="restart_day must be after the procedure on 2025-05-10, got 2025-05-09"
    ):
        pause_for_procedure(
            plan_from_steps("4.5@0", START), date(2025, 5, 10), date(2025, 5, 7),
            date(2025, 5, 9), "Knee",
        )  # fmt: skip


def test_doses_above_4_5_mg_are_allowed_but_flagged() -> None:
    # LDN Research Trust information pack: "The maximum dose is 4.5 mg".
    plan = plan_from_steps("4.5@0,6@14", START)
    assert plan.warnings and "6 mg" in plan.warnings[0]
    assert not plan_from_steps("4.5@0", START).warnings


def test_templates_transcribe_their_sources() -> None:
    # LDN Research Trust info pack: 1.5 mg for 2 weeks, then +0.5 mg every 2 weeks to 4.5 mg.
    standard = template("ldnrt-standard").plan(START)
    assert [s.dose_mg for s in standard.steps] == [1.5, 2, 2.5, 3, 3.5, 4, 4.5]
    assert all(s.to_day is None or s.to_day - s.from_day == 14 for s in standard.steps)
    # LDN Research Trust prescriber guide (cancer): 1.5 mg for 7 days, +1.5 mg weekly to 4.5 mg.
    weekly = template("weekly-1.5").plan(START)
    assert [(s.dose_mg, s.from_day) for s in weekly.steps] == [(1.5, 0), (3, 7), (4.5, 14)]
    for t in templates().values():
        assert t.references, t.key


def test_unknown_template_lists_the_valid_ones() -> None:
    with pytest.raises(PlanError, match="template must be one of"):
        template("fast")


def test_history_keeps_every_version_with_author_and_reason() -> None:
    first = plan_from_steps("1.5@0", START)
    second = plan_from_steps("1.5@0,3@14", START)
    h = PlanHistory().revise(first, "dr bob", "start", datetime(2025, 3, 1, tzinfo=UTC))
    h = h.revise(second, "dr bob", "tolerating well", datetime(2025, 3, 20, tzinfo=UTC))
    assert [v.number for v in h.versions] == [1, 2]
    assert h.current == second
    assert h.plan_on(date(2025, 3, 10)) == first
    with pytest.raises(PlanError, match="reason must be given"):
        h.revise(first, "dr bob", " ", datetime(2025, 4, 1, tzinfo=UTC))


def test_weekly_adherence_counts_taken_over_planned() -> None:
    plan = plan_from_steps("1.5@0", START).pause(date(2025, 3, 12), date(2025, 3, 16))
    records = [(date(2025, 3, d), True) for d in (3, 4, 5, 6, 7)]  # Mon-Fri taken
    records += [(date(2025, 3, 8), False), (date(2025, 3, 3), True)]  # Sat missed, Mon twice
    records += [(date(2025, 3, 10), True), (date(2025, 3, 13), True)]  # 13th is paused
    weeks = weekly_adherence(plan, records, START, date(2025, 3, 16))
    first, second = weeks
    # week 1: 7 planned, 5 taken (Mon counted once), 1 missed, Sunday unrecorded.
    assert (first.planned, first.taken, first.missed, first.unrecorded) == (7, 5, 1, 1)
    assert first.ratio == pytest.approx(5 / 7)
    # week 2: Mon-Tue planned (Wed-Sun paused); 1 taken, 1 unrecorded, 1 dose taken while paused.
    assert (second.planned, second.taken, second.taken_while_not_planned) == (2, 1, 1)


def test_a_fully_paused_week_has_no_ratio() -> None:
    plan = plan_from_steps("1.5@0", START).pause(START, date(2025, 3, 9))
    (week,) = weekly_adherence(plan, [], START, date(2025, 3, 9))
    assert week.planned == 0 and week.ratio is None


def test_the_four_dose_forms_have_cited_instructions() -> None:
    forms = dose_forms()
    assert set(forms) == {"capsule", "liquid", "sublingual_drops", "cream"}
    assert all(f.instructions and f.references for f in forms.values())
