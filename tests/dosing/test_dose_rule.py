"""The one dose rule at its boundaries: 4.5 passes, 4.6 needs confirming, 50 too, 50.1 refused."""

from __future__ import annotations

import pytest

from ldn.dosing import (
    DoseNeedsConfirmation,
    DoseRefused,
    PlanError,
    PlanStep,
    check_doses,
    dose_rule,
    plan_from_steps,
    usual_range,
)


def test_the_usual_range_is_0_5_to_4_5_mg_from_the_ldn_research_trust_guide() -> None:
    usual = usual_range()
    assert (usual.min_mg, usual.max_mg) == (0.5, 4.5)
    assert usual.text == "0.5 to 4.5 mg"
    assert usual.references[0].key == "ldnrt_dosing_guide_2021"
    assert usual.source == "LDN Research Trust 2021"


def test_4_5_mg_passes_without_confirmation() -> None:
    check = dose_rule([4.5])
    assert not check.needs_confirmation
    assert check.message == ""


def test_4_6_mg_needs_a_confirmation_naming_the_dose_and_the_range() -> None:
    with pytest.raises(DoseNeedsConfirmation) as caught:
        dose_rule([4.6])
    assert str(caught.value) == (
        "4.6 mg is above the usual LDN range of 0.5 to 4.5 mg (LDN Research Trust 2021). "
        "Check the dose (4.5 typed as 45?) and confirm it only if your prescriber ordered it."
    )
    assert caught.value.check.key == "4.6"


def test_4_6_mg_passes_once_confirmed() -> None:
    assert dose_rule([4.6], confirmed=True).high_mg == (4.6,)
    assert dose_rule([4.6], confirmed="4.6").high_mg == (4.6,)


def test_a_confirmation_of_another_dose_does_not_count() -> None:
    with pytest.raises(DoseNeedsConfirmation):
        dose_rule([46], confirmed="4.6")


def test_50_mg_needs_confirmation_and_passes_once_confirmed() -> None:
    with pytest.raises(DoseNeedsConfirmation):
        dose_rule([50])
    assert dose_rule([50], confirmed=True).key == "50"


def test_50_1_mg_is_refused_even_when_confirmed() -> None:
    with pytest.raises(DoseRefused) as caught:
        dose_rule([50.1], confirmed=True)
    assert str(caught.value) == "dose_mg must be between 0.1 and 50 mg, got 50.1"


def test_below_0_1_mg_and_not_a_number_are_refused_naming_the_parameter() -> None:
    with pytest.raises(DoseRefused, match="^steps must be between 0.1 and 50 mg, got 0.05$"):
        check_doses([0.05], parameter="steps")
    with pytest.raises(DoseRefused, match="^dose_mg must be a number, got nan$"):
        check_doses([float("nan")])


def test_several_high_doses_are_named_once_each_in_order() -> None:
    check = check_doses([3, 6, 5, 6])
    assert check.high_mg == (6.0, 5.0)
    assert check.key == "6,5"
    assert check.named == "6 mg and 5 mg"


def test_a_plan_step_above_50_mg_is_a_plan_error_with_the_rule() -> None:
    with pytest.raises(PlanError, match="^dose_mg must be between 0.1 and 50 mg, got 50.1$"):
        PlanStep(50.1, 0)


def test_a_plan_with_45_mg_carries_the_confirmation_message_as_its_warning() -> None:
    from datetime import date

    plan = plan_from_steps("1.5@0,45@14", date(2026, 1, 1))
    assert plan.dose_check().key == "45"
    assert plan.warnings == (
        "doses above the usual LDN range of 0.5 to 4.5 mg (LDN Research Trust 2021): 45 mg",
    )
    assert plan_from_steps("4.5@0", date(2026, 1, 1)).warnings == ()
