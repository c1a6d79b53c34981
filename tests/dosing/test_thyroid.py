"""The thyroid co-watch's labs reminder days: every LAB_DAYS (75, our suggestion) from an anchor."""

from __future__ import annotations

from datetime import date

from ldn.dosing.thyroid import LAB_DAYS, lab_reminder_due

ANCHOR = date(2026, 3, 1)


def test_no_labs_reminder_before_the_first_interval_has_passed():
    assert LAB_DAYS == 75
    assert lab_reminder_due(ANCHOR, date(2026, 2, 1)) is None  # before the anchor
    assert lab_reminder_due(ANCHOR, date(2026, 5, 14)) is None  # day 74


def test_the_labs_reminder_day_is_the_latest_multiple_of_75_days():
    assert lab_reminder_due(ANCHOR, date(2026, 5, 15)) == date(2026, 5, 15)  # day 75
    assert lab_reminder_due(ANCHOR, date(2026, 7, 28)) == date(2026, 5, 15)  # day 149
    assert lab_reminder_due(ANCHOR, date(2026, 7, 29)) == date(2026, 7, 29)  # day 150
