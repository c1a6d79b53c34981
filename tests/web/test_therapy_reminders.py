"""Reminders: bedtime, the private feed (parsed with icalendar, across DST), taken links, e-mails."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo

import pytest
from dateutil.rrule import rrulestr
from django.core import mail, signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ldn.web.accounts.models import PatientProfile
from ldn.web.journal.models import DoseLog
from ldn.web.therapy import reminders
from ldn.web.therapy.models import FollowUp, ReminderSettings, SentReminder
from tests.web.therapy_helpers import give_plan

UTC = dt.UTC


@pytest.fixture
def alice_client(client, world):
    client.force_login(world.alice)
    return client


def feed_url(patient) -> str:
    return reverse("therapy:feed", args=[reminders.settings_for(patient).feed_token])


def occurrences(ics: bytes, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, str]]:
    """Expand every VEVENT's RRULE (dateutil) between start and end: (local start, summary)."""
    out = []
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        first = event.decoded("dtstart")
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=first)
        out += [(o, str(event["summary"])) for o in rule.between(start, end, inc=True)]
    return sorted(out)


def test_the_bedtime_form_changes_only_the_bedtime(alice_client, world):
    alice_client.get(reverse("therapy:reminders"))
    PatientProfile.objects.filter(user=world.alice).update(conditions=["fibromyalgia"])
    alice_client.post(reverse("therapy:reminders"), {"form": "bedtime", "bedtime": "21:30"})
    profile = PatientProfile.objects.get(user=world.alice)
    assert profile.bedtime == dt.time(21, 30) and profile.conditions == ["fibromyalgia"]


def test_the_feed_needs_no_login_and_parses_with_icalendar(client, world):
    give_plan(world.alice, "1.5@0,3@14,4.5@28", start=dt.date(2026, 3, 1))
    response = client.get(feed_url(world.alice))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["LDN 1.5 mg", "LDN 3 mg", "LDN 4.5 mg"]
    assert all(e.walk("VALARM") for e in events)


def test_a_new_link_revokes_the_old_one(alice_client, client, world):
    give_plan(world.alice)
    old = feed_url(world.alice)
    alice_client.post(reverse("therapy:feed_rotate"))
    new = feed_url(world.alice)
    assert old != new
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200


def test_a_guessed_token_is_404(client, world):
    assert client.get(reverse("therapy:feed", args=["not-a-token"])).status_code == 404


def test_the_reminders_page_shows_the_link_and_an_inline_svg_qr_code(alice_client, world):
    page = alice_client.get(reverse("therapy:reminders")).content.decode()
    assert reminders.settings_for(world.alice).feed_token in page
    assert "<svg" in page and "QR code of your private calendar link" in page


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # EU summer time began Sunday 29 March 2026 (CET +01 -> CEST +02).
        ("Europe/Berlin", dt.date(2026, 3, 28), dt.date(2026, 3, 29)),
        # US daylight saving time began Sunday 8 March 2026 (EST -05 -> EDT -04).
        ("America/New_York", dt.date(2026, 3, 7), dt.date(2026, 3, 8)),
    ],
)
def test_feed_events_stay_at_22_00_local_across_the_dst_change(client, world, zone, before, after):
    PatientProfile.objects.filter(user=world.alice).update(time_zone=zone, bedtime=dt.time(22))
    give_plan(world.alice, "1.5@0,3@14,4.5@28", start=dt.date(2026, 3, 1))
    ics = client.get(feed_url(world.alice)).content
    tz = zoneinfo.ZoneInfo(zone)
    window = occurrences(
        ics, dt.datetime(2026, 3, 1, tzinfo=tz), dt.datetime(2026, 4, 12, 23, tzinfo=tz)
    )
    print(f"\n{zone}:")
    for when, summary in window:
        if abs((when.date() - after).days) <= 2:
            print(f"  {when.isoformat()}  {when.astimezone(UTC):%H:%M} UTC  {summary}")
    by_day = {w.date(): w for w, _ in window}
    assert all(w.astimezone(tz).time() == dt.time(22) for w, _ in window)
    shift = by_day[before].astimezone(UTC).hour - by_day[after].astimezone(UTC).hour
    assert shift == 1  # the same 22:00 local is one hour earlier in UTC after the change
    assert len(window) == 43  # 1 March to 12 April inclusive, one dose per evening


# One-tap "taken" links --------------------------------------------------------------------


def test_a_taken_link_confirms_then_logs_the_planned_dose_once(client, world):
    give_plan(world.alice, "4.5@0")
    day = dt.date.today() - dt.timedelta(days=1)
    url = reverse("therapy:taken", args=[reminders.make_taken_token(world.alice, day)])
    assert client.get(url).status_code == 200
    assert not DoseLog.objects.filter(patient=world.alice, day=day).exists()  # GET logs nothing
    assert client.post(url).status_code == 200
    log = DoseLog.objects.get(patient=world.alice, day=day)
    assert (log.status, float(log.amount_mg)) == ("taken", 4.5)
    assert client.post(url).status_code == 410
    assert client.get(url).status_code == 410


def test_an_expired_taken_link_is_refused(client, world, monkeypatch):
    token = reminders.make_taken_token(world.alice, dt.date.today())
    later = time.time() + 37 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.post(reverse("therapy:taken", args=[token])).status_code == 410
    assert not DoseLog.objects.filter(patient=world.alice).exists()


def test_a_tampered_taken_link_is_404(client, world):
    token = reminders.make_taken_token(world.alice, dt.date.today())
    forged = token.replace(token[-5:], "AAAAA")
    assert client.post(reverse("therapy:taken", args=[forged])).status_code == 404


# E-mails ----------------------------------------------------------------------------------

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
MORNING = dt.datetime(2026, 3, 10, 10, 30, tzinfo=BERLIN)  # 12 h 30 after 22:00 on 9 March


@pytest.fixture
def opted_in(world):
    world.alice.email = "alice@example.org"
    world.alice.save()
    ReminderSettings.objects.update_or_create(
        patient=world.alice, defaults={"email_missed_dose": True, "email_follow_up": True}
    )
    give_plan(world.alice, "4.5@0", start=dt.date(2026, 3, 1))
    return world


def test_a_missed_dose_email_goes_out_once_when_two_workers_run_the_task(opted_in):
    assert reminders.send_due_reminders(MORNING) == 1
    assert reminders.send_due_reminders(MORNING) == 0  # the second worker
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Monday 9 March 2026" in body and "4.5 mg" in body and "/therapy/taken/" in body
    assert SentReminder.objects.get().sent_at is not None


def test_a_worker_that_loses_the_race_between_check_and_queue_does_not_send(opted_in, monkeypatch):
    """Worker A has decided the reminder is due; worker B sends it before A queues it."""
    real_queue, raced = reminders.queue, []

    def queue_after_the_other_worker(*args, **kwargs):
        if not raced:
            raced.append(True)
            assert reminders.send_due_reminders(MORNING) == 1  # worker B, start to finish
        return real_queue(*args, **kwargs)

    monkeypatch.setattr(reminders, "queue", queue_after_the_other_worker)
    assert reminders.send_due_reminders(MORNING) == 0  # worker A
    assert len(mail.outbox) == 1 and SentReminder.objects.count() == 1


def test_a_reminder_another_worker_is_sending_is_not_sent_again(opted_in):
    reminders.queue_due_reminders(MORNING)
    row = SentReminder.objects.get()
    assert reminders.lease(row, timezone.now())  # worker B is sending it
    assert reminders.send_due_reminders(MORNING) == 0 and mail.outbox == []


def test_a_reminder_left_by_a_dead_worker_is_sent_once_its_lease_runs_out(opted_in, settings):
    reminders.queue_due_reminders(MORNING)
    row = SentReminder.objects.get()
    died_at = timezone.now()
    assert reminders.lease(row, died_at)  # the worker took it, then was killed before sending
    assert reminders.deliver_pending(died_at + settings.LDN_REMINDER_LEASE / 2) == 0
    assert reminders.deliver_pending(died_at + settings.LDN_REMINDER_LEASE) == 1
    assert reminders.deliver_pending(died_at + 3 * settings.LDN_REMINDER_LEASE) == 0
    row.refresh_from_db()
    assert len(mail.outbox) == 1 and row.attempts == 2 and row.sent_at is not None


def test_the_email_carries_the_outbox_message_id_and_the_sent_row_keeps_no_link(opted_in):
    reminders.send_due_reminders(MORNING)
    row = SentReminder.objects.get()
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id
    assert row.message_id.startswith("<reminder.") and row.message_id.endswith("@127.0.0.1>")
    assert row.body == "" and row.subject == "LDN Companion: no dose logged for Monday 9 March"


def test_no_missed_dose_email_before_the_cutoff(opted_in):
    early = dt.datetime(2026, 3, 10, 9, 30, tzinfo=BERLIN)  # 11 h 30 after bedtime
    reminders.send_due_reminders(early)
    assert all("9 March" not in m.body for m in mail.outbox)


def test_no_missed_dose_email_when_the_dose_is_logged(opted_in):
    DoseLog.objects.create(patient=opted_in.alice, day=dt.date(2026, 3, 9), status="taken")
    assert reminders.send_due_reminders(MORNING) == 0


def test_no_missed_dose_email_while_the_plan_is_paused(opted_in):
    from ldn.web.therapy import plans

    plan = plans.current_plan(opted_in.alice).pause(dt.date(2026, 3, 8), None, "surgery")
    plans.save_version(opted_in.alice, plan, author=opted_in.alice, reason="pause")
    assert reminders.send_due_reminders(MORNING) == 0


def test_no_email_when_the_patient_has_not_opted_in(opted_in):
    ReminderSettings.objects.filter(patient=opted_in.alice).update(email_missed_dose=False)
    assert reminders.send_due_reminders(MORNING) == 0


def test_a_failed_send_keeps_the_reminder_for_the_next_run(opted_in, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    assert reminders.send_due_reminders(MORNING) == 0
    row = SentReminder.objects.get()
    assert (row.sent_at, row.lease_until, row.attempts) == (None, None, 1)
    assert row.last_error == "OSError: SMTP down"
    monkeypatch.undo()
    assert reminders.send_due_reminders(MORNING) == 1
    assert SentReminder.objects.get().attempts == 2 and len(mail.outbox) == 1


def test_a_reminder_is_given_up_after_the_last_attempt(opted_in):
    reminders.queue_due_reminders(MORNING)
    SentReminder.objects.update(attempts=reminders.MAX_ATTEMPTS)
    assert reminders.send_due_reminders(MORNING) == 0 and mail.outbox == []


def test_a_follow_up_email_goes_out_once_the_day_before(opted_in):
    DoseLog.objects.create(patient=opted_in.alice, day=dt.date(2026, 3, 9), status="taken")
    FollowUp.objects.create(
        patient=opted_in.alice,
        when=dt.datetime(2026, 3, 11, 9, 0, tzinfo=BERLIN),
        note="Dr Lee, review LDN",
        created_by=opted_in.alice,
    )
    assert reminders.send_due_reminders(MORNING) == 1
    assert reminders.send_due_reminders(MORNING + dt.timedelta(hours=1)) == 0
    body = mail.outbox[0].body
    assert "Wednesday 11 March 2026, 09:00" in body and "Dr Lee, review LDN" in body
    assert "/therapy/taken/" in body


def test_a_follow_up_can_be_added_in_the_patients_time_zone(alice_client, world):
    alice_client.post(
        reverse("therapy:reminders"),
        {"form": "follow_up", "when": "2030-06-01T09:30", "note": "review"},
    )
    item = FollowUp.objects.get(patient=world.alice)
    assert item.when == dt.datetime(2030, 6, 1, 7, 30, tzinfo=UTC)  # 09:30 CEST = 07:30 UTC


def test_the_feed_carries_follow_up_appointments_in_the_patients_time(client, world):
    give_plan(world.alice, "1.5@0", start=dt.date(2026, 3, 1))
    FollowUp.objects.create(
        patient=world.alice,
        when=dt.datetime(2030, 4, 2, 8, 30, tzinfo=UTC),
        note="Dr Lee, LDN review",
    )
    events = Calendar.from_ical(client.get(feed_url(world.alice)).content).walk("VEVENT")
    [visit] = [e for e in events if str(e["summary"]) == "LDN follow-up appointment"]
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    assert visit.decoded("dtstart") == dt.datetime(2030, 4, 2, 10, 30, tzinfo=berlin)
    assert visit["dtstart"].params["TZID"] == "Europe/Berlin"
    assert str(visit["description"]) == "Dr Lee, LDN review"
    assert [a.decoded("trigger") for a in visit.walk("VALARM")] == [
        -dt.timedelta(days=1),
        -dt.timedelta(hours=1),
    ]


def test_the_feed_without_a_plan_still_carries_follow_ups(client, world):
    FollowUp.objects.create(patient=world.alice, when=dt.datetime(2030, 4, 2, 8, 30, tzinfo=UTC))
    events = Calendar.from_ical(client.get(feed_url(world.alice)).content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["LDN follow-up appointment"]
