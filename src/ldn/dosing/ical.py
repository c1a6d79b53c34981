"""iCalendar feed of bedtime doses: one daily-recurring VEVENT per plan step (pauses cut out).

DTSTART is local wall time with a TZID and the VTIMEZONE is included, so a 22:00 reminder stays
at 22:00 across daylight-saving changes (a UTC DTSTART would drift by an hour twice a year).
RFC 5545 requires UNTIL in UTC when DTSTART has a TZID; we set it to the last dose instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event

from ldn.dosing.errors import PlanError
from ldn.dosing.plan import TitrationPlan

PRODID = "-//LDN Companion//dose reminders//EN"


def zone(name: str) -> ZoneInfo:
    """An IANA time zone, or a PlanError naming the bad value."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PlanError(f"tz must be an IANA time zone like Europe/Berlin, got {name!r}") from exc


def parse_time(text: str) -> time:
    """Parse HH:MM (24 h) for the bedtime setting."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise PlanError(f"at must be a 24-hour time HH:MM, got {text!r}") from exc


@dataclass(frozen=True)
class Appointment:
    """A follow-up appointment: an instant (timezone-aware), a note, and a stable id."""

    when: datetime
    note: str
    uid: str
    duration_minutes: int = 30


@dataclass(frozen=True)
class CalendarFeed:
    """The serialised feed plus what went into it."""

    ics: bytes
    events: int
    tz: str
    at: time


def build_calendar(
    plan: TitrationPlan | None,
    at: time,
    tz: str,
    now: datetime,
    uid_prefix: str = "ldn-plan",
    alarm_minutes_before: int = 0,
    duration_minutes: int = 15,
    calendar_name: str = "LDN doses",
    appointments: Sequence[Appointment] = (),
) -> CalendarFeed:
    """Build the feed: the plan's doses (none without a plan) and the follow-up appointments.

    `now` is the DTSTAMP (passed in so output is reproducible)."""
    if alarm_minutes_before < 0:
        raise PlanError(f"alarm_minutes_before must be >= 0, got {alarm_minutes_before}")
    if duration_minutes <= 0:
        raise PlanError(f"duration_minutes must be > 0, got {duration_minutes}")
    if now.tzinfo is None:
        raise PlanError(f"now must be timezone-aware, got naive {now.isoformat()}")
    tzinfo = zone(tz)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-timezone", tz)
    count = 0
    segments = plan.segments() if plan else []
    name = plan.name if plan else ""
    for index, (step, first, last) in enumerate(segments):
        start = datetime.combine(first, at, tzinfo=tzinfo)
        event = Event()
        event.add("uid", f"{uid_prefix}-{index}-{first.isoformat()}@ldn-companion")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", start)
        event.add("duration", timedelta(minutes=duration_minutes))
        event.add("summary", f"LDN {step.dose_mg:g} mg")
        event.add(
            "description",
            f"Take {step.dose_mg:g} mg low-dose naltrexone at bedtime "
            f"(plan '{name}', days {step.from_day}-"
            f"{'' if step.to_day is None else step.to_day - 1}). "
            "Reminder only: follow the plan your prescriber gave you.",
        )
        rule: dict[str, object] = {"freq": "daily"}
        if last is not None:
            rule["until"] = datetime.combine(last, at, tzinfo=tzinfo).astimezone(UTC)
        event.add("rrule", rule)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"LDN {step.dose_mg:g} mg")
        alarm.add("trigger", timedelta(minutes=-alarm_minutes_before))
        event.add_component(alarm)
        cal.add_component(event)
        count += 1
    for appointment in appointments:
        if appointment.when.tzinfo is None:
            raise PlanError(f"appointment time must be timezone-aware, got {appointment.when}")
        cal.add_component(_appointment_event(appointment, tzinfo, now))
        count += 1
    cal.add_missing_timezones()
    return CalendarFeed(ics=cal.to_ical(), events=count, tz=tz, at=at)


def _appointment_event(appointment: Appointment, tzinfo: ZoneInfo, now: datetime) -> Event:
    """One VEVENT in the patient's local time, with an alert the day before and an hour before."""
    event = Event()
    event.add("uid", f"{appointment.uid}@ldn-companion")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", appointment.when.astimezone(tzinfo))
    event.add("duration", timedelta(minutes=appointment.duration_minutes))
    event.add("summary", "LDN follow-up appointment")
    if appointment.note:
        event.add("description", appointment.note)
    for before in (timedelta(days=1), timedelta(hours=1)):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "LDN follow-up appointment")
        alarm.add("trigger", -before)
        event.add_component(alarm)
    return event
