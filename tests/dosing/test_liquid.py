"""Liquid LDN calculator against hand-worked arithmetic (shown in each comment)."""

from __future__ import annotations

import math

import pytest

from ldn.dosing import LiquidError, liquid_dose, storage_guidance


def test_one_tablet_in_50_ml_gives_1_mg_per_ml_and_4_5_ml_for_4_5_mg() -> None:
    # 50 mg / 50 ml = 1 mg/ml; 4.5 mg / 1 mg/ml = 4.5 ml, on a 0.1 ml mark: no rounding error.
    r = liquid_dose(50, 50, 4.5)
    assert r.concentration_mg_per_ml == pytest.approx(1.0)
    assert r.volume_ml == pytest.approx(4.5)
    assert r.actual_dose_mg == pytest.approx(4.5)
    assert r.error_percent == pytest.approx(0.0, abs=1e-9)


def test_40_ml_gives_1_25_mg_per_ml_and_3_6_ml_for_4_5_mg() -> None:
    # 50 / 40 = 1.25 mg/ml; 4.5 / 1.25 = 3.6 ml exactly.
    r = liquid_dose(50, 40, 4.5)
    assert r.concentration_mg_per_ml == pytest.approx(1.25)
    assert r.volume_ml == pytest.approx(3.6)
    assert r.error_percent == pytest.approx(0.0, abs=1e-9)


def test_halfway_volume_rounds_up_and_reports_the_error() -> None:
    # 50 mg / 35 ml = 1.428571 mg/ml; 4.5 mg needs 4.5 * 35 / 50 = 3.15 ml, halfway between marks
    # -> 3.2 ml; 3.2 ml * 50/35 = 4.571429 mg; error = 0.071429 / 4.5 = +1.5873 %.
    r = liquid_dose(50, 35, 4.5)
    assert r.exact_volume_ml == pytest.approx(3.15)
    assert r.volume_ml == pytest.approx(3.2)
    assert r.actual_dose_mg == pytest.approx(4.571429, abs=1e-6)
    assert r.error_percent == pytest.approx(1.5873, abs=1e-4)


def test_rounding_down_gives_a_negative_error() -> None:
    # 1 mg/ml, 1.24 mg -> 1.24 ml -> 1.2 ml on a 0.1 ml syringe -> 1.2 mg; error -0.04/1.24 = -3.2258 %.
    r = liquid_dose(50, 50, 1.24)
    assert r.volume_ml == pytest.approx(1.2)
    assert r.error_percent == pytest.approx(-3.2258, abs=1e-4)


def test_coarse_syringe_resolution_is_respected() -> None:
    # 1 mg/ml, 1.5 mg with a 1 ml-graduated syringe: 1.5 ml is halfway -> 2 ml = 2 mg, +33.33 %.
    r = liquid_dose(50, 50, 1.5, syringe_resolution_ml=1.0)
    assert r.volume_ml == pytest.approx(2.0)
    assert r.error_percent == pytest.approx(33.3333, abs=1e-3)


def test_a_dose_below_half_a_mark_is_flagged_not_raised() -> None:
    # 1 mg/ml, 0.04 mg -> 0.04 ml, below half of 0.1 ml -> 0 ml: flagged, -100 % error.
    r = liquid_dose(50, 50, 0.04)
    assert r.below_resolution
    assert r.volume_ml == 0.0
    assert r.error_percent == pytest.approx(-100.0)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"tablet_mg": 50, "water_ml": 0, "dose_mg": 4.5}, "water_ml must be greater than 0"),
        ({"tablet_mg": 50, "water_ml": -5, "dose_mg": 4.5}, "water_ml must not be negative"),
        ({"tablet_mg": -50, "water_ml": 50, "dose_mg": 4.5}, "tablet_mg must not be negative"),
        ({"tablet_mg": 50, "water_ml": 50, "dose_mg": -1}, "dose_mg must not be negative"),
        ({"tablet_mg": 50, "water_ml": 50, "dose_mg": 60}, "must not exceed the tablet content"),
        ({"tablet_mg": 50, "water_ml": 50, "dose_mg": math.nan}, "dose_mg must be a finite"),
        (
            {"tablet_mg": 50, "water_ml": 50, "dose_mg": 4.5, "syringe_resolution_ml": 0},
            "syringe_resolution_ml must be greater than 0",
        ),
    ],
)
def test_it_refuses_impossible_inputs_with_a_named_error(kwargs: dict, fragment: str) -> None:
    with pytest.raises(LiquidError, match=fragment):
        liquid_dose(**kwargs)


def test_plain_water_storage_gives_no_invented_days() -> None:
    # No stability study of tablets in plain water was found, so no number of days is given.
    g = storage_guidance("plain_water")
    assert g.days_room_temperature is None and g.days_refrigerated is None
    assert "No published stability data" in g.guidance


def test_tested_formula_storage_matches_fawcett_1997() -> None:
    # Fawcett, Morgan, Woods 1997 (PMID 9391680): 30 days at 25 C, 60 days at 4 C, in the dark.
    g = storage_guidance("fawcett_1mg_per_ml")
    assert (g.days_room_temperature, g.days_refrigerated) == (30, 60)
    assert any(r.pmid == "9391680" for r in g.references)


def test_0_75_mg_with_a_0_5_ml_syringe_is_flagged_with_two_ways_under_5_percent() -> None:
    # 1 mg/ml, 0.75 ml is halfway between 0.5 ml marks -> 1.0 ml = 1 mg, +33.3 %: over 5 %.
    # A 0.05 ml syringe draws 0.75 ml exactly (0.2 and 0.1 ml marks give 0.8 ml, +6.7 %);
    # with 100 ml water (0.5 mg/ml) 1.5 ml is on a 0.5 ml mark (20-80 ml all miss by > 5 %).
    r = liquid_dose(50, 50, 0.75, syringe_resolution_ml=0.5)
    assert r.volume_ml == pytest.approx(1.0)
    assert r.error_percent == pytest.approx(33.3333, abs=1e-3)
    assert r.flagged
    syringe, water = r.suggestions
    assert (syringe.kind, syringe.syringe_resolution_ml, syringe.volume_ml) == (
        "syringe",
        0.05,
        0.75,
    )
    assert syringe.text() == "Use a syringe with 0.05 ml marks: draw 0.75 ml (+0.0%)."
    assert (water.kind, water.water_ml, water.volume_ml) == ("water", 100.0, 1.5)
    assert water.text() == (
        "Dissolve the tablet in 100 ml of water (0.5 mg/ml): draw 1.5 ml with your syringe (+0.0%)."
    )


def test_an_error_of_exactly_5_percent_or_less_is_not_flagged() -> None:
    # 1 mg/ml, 1.9 mg with 0.2 ml marks: 9.5 steps -> 10 -> 2.0 ml = 2 mg, +5.263 %: flagged;
    # 3.5 mg with 0.2 ml marks: 17.5 -> 18 -> 3.6 mg, +2.857 %: not flagged.
    assert liquid_dose(50, 50, 1.9, syringe_resolution_ml=0.2).flagged
    calm = liquid_dose(50, 50, 3.5, syringe_resolution_ml=0.2)
    assert not calm.flagged
    assert calm.suggestions == ()
