"""Late doses: more than an hour after the patient's own bedtime, across midnight too."""

from datetime import time

from ldn.dosing import minutes_late


def test_a_dose_within_the_hour_after_bedtime_is_on_time():
    assert minutes_late(time(22, 59), time(22, 0)) is None
    assert minutes_late(time(21, 30), time(22, 0)) is None


def test_a_dose_more_than_an_hour_late_says_by_how_much():
    assert minutes_late(time(23, 40), time(22, 0)) == 100


def test_a_dose_after_midnight_is_late_for_the_previous_evening():
    assert minutes_late(time(1, 30), time(22, 0)) == 210


def test_an_early_morning_bedtime_is_handled():
    assert minutes_late(time(0, 30), time(23, 30)) is None
    assert minutes_late(time(2, 0), time(23, 30)) == 150
