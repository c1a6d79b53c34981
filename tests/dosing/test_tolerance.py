from datetime import date, timedelta

import pytest

from ldn.dosing.errors import PlanError
from ldn.dosing.plan import PlanStep, TitrationPlan
from ldn.dosing.tolerance import (
    DOWN,
    START,
    TIMING,
    UP,
    DoseChange,
    WindowDay,
    dose_changes,
    held,
    stepped_back,
    summarise_window,
    window_open_on,
)

START_DAY = date(2026, 3, 2)
PLAN = TitrationPlan(
    START_DAY,
    (PlanStep(1.5, 0, 14), PlanStep(3.0, 14, 28), PlanStep(3.0, 28, 42), PlanStep(2.0, 42, None)),
)
UP_CHANGE = DoseChange(START_DAY + timedelta(days=14), UP, 1.5, 3.0)


def days(*flags: int, worst: int | None = None) -> list[WindowDay]:
    """One recorded day per flag: 1 = a side effect rated 6 (a flare), 0 = all zero."""
    return [
        WindowDay(UP_CHANGE.day + timedelta(days=i), {"insomnia": 6 if f else 0}, worst)
        for i, f in enumerate(flags)
    ]


def test_it_reads_start_step_up_and_step_down_from_the_plan_and_skips_equal_doses():
    changes = dose_changes(PLAN, [(date(2026, 4, 20), "morning dose at 08:00")])
    assert [(c.day, c.kind, c.from_mg, c.to_mg) for c in changes] == [
        (START_DAY, START, None, 1.5),
        (date(2026, 3, 16), UP, 1.5, 3.0),
        (date(2026, 4, 13), DOWN, 3.0, 2.0),
        (date(2026, 4, 20), TIMING, None, None),
    ]
    assert changes[1].label == "Step up from 1.5 to 3 mg"


def test_the_window_covers_the_change_day_and_thirteen_more():
    changes = dose_changes(PLAN)
    assert window_open_on(changes, date(2026, 3, 29)) == changes[1]
    assert window_open_on(changes, date(2026, 3, 30)) is None


def test_a_window_without_flares_is_tolerated_and_proposes_going_on():
    s = summarise_window(UP_CHANGE, days(*[0] * 10), baseline=4, today=date(2026, 4, 1))
    assert (s.verdict, s.proposal) == ("tolerated", "go_on")
    assert s.sentence == "Tolerated: no flare on any of the 10 recorded days."


def test_a_flare_followed_by_three_quiet_days_settled_in_n_days():
    s = summarise_window(UP_CHANGE, days(1, 1, 1, 0, 0, 0, 0), baseline=4, today=date(2026, 4, 1))
    assert (s.verdict, s.settled_after_days, s.proposal) == ("settled", 3, "go_on")
    assert s.sentence == "A flare that settled in 3 days (3 of 7 recorded days)."


def test_flares_until_the_end_of_a_step_up_propose_stepping_back():
    s = summarise_window(UP_CHANGE, days(0, 1, 1, 1, 1, 1), baseline=4, today=date(2026, 4, 1))
    assert (s.verdict, s.proposal) == ("not_settling", "step_back")


def test_a_worst_symptom_two_points_above_baseline_counts_as_a_flare():
    assert WindowDay(UP_CHANGE.day, {}, 6).flare(baseline=4.0)
    assert not WindowDay(UP_CHANGE.day, {}, 5).flare(baseline=4.0)


def test_too_few_recorded_days_says_so_instead_of_a_verdict():
    s = summarise_window(UP_CHANGE, days(0, 0), baseline=None, today=date(2026, 4, 1))
    assert (s.verdict, s.proposal) == ("too_little_data", "hold")


def test_a_window_still_running_is_open():
    s = summarise_window(UP_CHANGE, days(1), baseline=None, today=UP_CHANGE.day + timedelta(days=2))
    assert s.verdict == "open"
    assert s.sentence.startswith("Day 3 of 14")


def test_stepping_back_sets_the_previous_dose_from_today():
    back = stepped_back(PLAN, UP_CHANGE, date(2026, 3, 30))
    assert back.dose_on(date(2026, 3, 29)) == 3.0
    assert back.dose_on(date(2026, 3, 30)) == 1.5
    assert back.dose_on(date(2026, 6, 1)) == 1.5


def test_holding_moves_every_later_step_seven_days_later():
    h = held(PLAN, date(2026, 3, 20), 7)
    assert [(s.dose_mg, s.from_day, s.to_day) for s in h.steps] == [
        (1.5, 0, 14), (3.0, 14, 35), (3.0, 35, 49), (2.0, 49, None),
    ]  # fmt: skip


def test_only_a_step_up_can_be_stepped_back():
    with pytest.raises(PlanError, match="only a step up can be stepped back, got a start"):
        stepped_back(PLAN, DoseChange(START_DAY, START, None, 1.5), date(2026, 3, 30))
