"""The .ics feed parsed back with icalendar and expanded with dateutil across DST changes.

Outside references for the expected instants: EU summer time starts/ends at 01:00 UTC on the last
Sunday of March/October (Directive 2000/84/EC) -> 30 Mar and 26 Oct 2025; US DST starts on the
second Sunday of March and ends on the first Sunday of November (Energy Policy Act 2005) ->
9 Mar and 2 Nov 2025. CET = UTC+1, CEST = UTC+2, EST = UTC-5, EDT = UTC-4.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from ldn.dosing import PlanError, build_calendar, plan_from_steps

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _occurrences(ics: bytes) -> list[tuple[str, datetime]]:
    """(summary, UTC instant) of every dose, expanding each VEVENT's RRULE."""
    cal = Calendar.from_ical(ics)
    out: list[tuple[str, datetime]] = []
    for event in cal.walk("VEVENT"):
        start = event.decoded("dtstart")
        rule = event.get("rrule").to_ical().decode()
        if "UNTIL" not in rule:
            rule += ";COUNT=30"  # open-ended step: look at its first month only
        for when in rrulestr(rule, dtstart=start):
            out.append((str(event.get("summary")), when.astimezone(UTC)))
    return sorted(out, key=lambda x: x[1])


def _feed(steps: str, start: date, tz: str) -> bytes:
    return build_calendar(plan_from_steps(steps, start), time(22, 0), tz, now=NOW).ics


def test_berlin_bedtime_stays_at_22_00_across_the_march_change() -> None:
    occ = dict(
        (when.date(), when)
        for _, when in _occurrences(_feed("1.5@0,3@14", date(2025, 3, 20), "Europe/Berlin"))
    )
    # 29 Mar 22:00 CET = 21:00 UTC; 30 Mar 22:00 CEST = 20:00 UTC.
    assert occ[date(2025, 3, 29)] == datetime(2025, 3, 29, 21, 0, tzinfo=UTC)
    assert occ[date(2025, 3, 30)] == datetime(2025, 3, 30, 20, 0, tzinfo=UTC)


def test_berlin_bedtime_stays_at_22_00_across_the_october_change() -> None:
    occ = dict(
        (w.date(), w)
        for _, w in _occurrences(_feed("4.5@0-14", date(2025, 10, 20), "Europe/Berlin"))
    )
    assert occ[date(2025, 10, 25)] == datetime(2025, 10, 25, 20, 0, tzinfo=UTC)  # CEST
    assert occ[date(2025, 10, 26)] == datetime(2025, 10, 26, 21, 0, tzinfo=UTC)  # CET


def test_new_york_bedtime_stays_at_22_00_across_both_changes() -> None:
    spring = _occurrences(_feed("1.5@0-10", date(2025, 3, 5), "America/New_York"))
    instants = [w for _, w in spring]
    # 8 Mar 22:00 EST = 9 Mar 03:00 UTC; 9 Mar 22:00 EDT = 10 Mar 02:00 UTC.
    assert datetime(2025, 3, 9, 3, 0, tzinfo=UTC) in instants
    assert datetime(2025, 3, 10, 2, 0, tzinfo=UTC) in instants
    autumn = [w for _, w in _occurrences(_feed("1.5@0-10", date(2025, 10, 28), "America/New_York"))]
    # 1 Nov 22:00 EDT = 2 Nov 02:00 UTC; 2 Nov 22:00 EST = 3 Nov 03:00 UTC.
    assert datetime(2025, 11, 2, 2, 0, tzinfo=UTC) in autumn
    assert datetime(2025, 11, 3, 3, 0, tzinfo=UTC) in autumn


def test_each_step_is_one_event_with_its_dose_and_exact_number_of_nights() -> None:
    occ = _occurrences(_feed("1.5@0,3@14,4.5@28", date(2025, 3, 20), "Europe/Berlin"))
    by_dose: dict[str, int] = {}
    for summary, _ in occ:
        by_dose[summary] = by_dose.get(summary, 0) + 1
    assert by_dose["LDN 1.5 mg"] == 14
    assert by_dose["LDN 3 mg"] == 14
    assert by_dose["LDN 4.5 mg"] == 30  # open-ended, capped by the test's COUNT
    firsts = {s: w for s, w in reversed(occ)}
    assert firsts["LDN 3 mg"] == datetime(2025, 4, 3, 20, 0, tzinfo=UTC)  # day 14, CEST


def test_feed_has_vtimezone_tzid_dtstart_and_valarm() -> None:
    cal = Calendar.from_ical(_feed("1.5@0,3@14", date(2025, 3, 20), "Europe/Berlin"))
    assert [tz.get("tzid") for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    for event in cal.walk("VEVENT"):
        assert event["dtstart"].params["TZID"] == "Europe/Berlin"
        assert event.decoded("dtstart").time() == time(22, 0)
        (alarm,) = event.walk("VALARM")
        assert alarm.get("action") == "DISPLAY"
        assert alarm.decoded("trigger") == timedelta(0)


def test_a_pause_splits_the_step_and_leaves_no_dose_in_the_pause() -> None:
    plan = plan_from_steps("1.5@0-14", date(2025, 3, 20)).pause(
        date(2025, 3, 24), date(2025, 3, 26)
    )
    ics = build_calendar(plan, time(22, 0), "Europe/Berlin", now=NOW).ics
    days = {w.astimezone(UTC).date() for _, w in _occurrences(ics)}
    assert len(Calendar.from_ical(ics).walk("VEVENT")) == 2
    assert not days & {date(2025, 3, 24), date(2025, 3, 25), date(2025, 3, 26)}
    assert len(days) == 14 - 3


def test_unknown_time_zone_is_a_plan_error() -> None:
    with pytest.raises(PlanError, match="tz must be an IANA time zone"):
        _feed("1.5@0", date(2025, 3, 20), "Mars/Olympus")


def test_a_day_reminder_is_an_all_day_event_repeating_every_n_days():
    from ldn.dosing import DayReminder

    reminder = DayReminder("labs", date(2026, 5, 15), 75, "Discuss thyroid tests", "Our suggestion")
    feed = build_calendar(
        plan_from_steps("4.5@0", date(2026, 3, 1)), time(22), "Europe/Berlin",
        now=datetime(2026, 3, 1, tzinfo=UTC), reminders=(reminder,),
    )  # fmt: skip
    event = [
        e
        for e in Calendar.from_ical(feed.ics).walk("VEVENT")
        if e["summary"] == "Discuss thyroid tests"
    ][0]
    assert event.decoded("dtstart") == date(2026, 5, 15)  # a DATE: all day
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=datetime(2026, 5, 15))
    assert [d.date() for d in rule[:2]] == [date(2026, 5, 15), date(2026, 7, 29)]
    assert feed.events == 2


def test_a_day_reminder_repeating_every_0_days_is_refused():
    from ldn.dosing import DayReminder

    with pytest.raises(PlanError, match="every_days must be >= 1, got 0"):
        build_calendar(
            plan_from_steps("4.5@0", date(2026, 3, 1)), time(22), "Europe/Berlin",
            now=datetime(2026, 3, 1, tzinfo=UTC),
            reminders=(DayReminder("x", date(2026, 5, 15), 0, "x", "x"),),
        )  # fmt: skip
