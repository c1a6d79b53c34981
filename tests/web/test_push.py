"""Push reminders: the encrypted message a local push service receives and decrypts with the
browser's keys, bedtime in the patient's zone across DST, once per device per night, the
notification's buttons through the single-use token, and the devices page."""

from __future__ import annotations

import datetime as dt
import json
import stat
import zoneinfo

import pytest
from django.urls import reverse

from ldn.dosing import PlanStep, TitrationPlan
from ldn.web.accounts.models import PatientProfile
from ldn.web.journal.models import DoseLog
from ldn.web.push import reminders, tasks, vapid
from ldn.web.push.models import PushReminder, PushSettings, PushSubscription
from ldn.web.therapy import plans
from ldn.web.therapy.models import UsedTakenLink
from tests.web.push_helpers import BrowserKeys, PushService, vapid_claims
from tests.web.therapy_helpers import give_plan

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
PLAN_START = dt.date(2026, 3, 1)  # 1.5 mg from day 0, 3 mg from day 14, 4.5 mg from day 28


def berlin(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


@pytest.fixture
def browser_keys() -> BrowserKeys:
    return BrowserKeys()


@pytest.fixture
def device(world, push_service, browser_keys) -> PushSubscription:
    give_plan(world.alice, start=PLAN_START)
    return PushSubscription.objects.create(
        patient=world.alice,
        endpoint=push_service.endpoint(),
        p256dh=browser_keys.p256dh,
        auth=browser_keys.auth,
        label="Chrome on Android",
    )


def sent_payloads(push_service, browser_keys) -> list[dict]:
    return [browser_keys.decrypt(r.body) for r in push_service.received]


# The message on the wire ----------------------------------------------------------------------


def test_the_bedtime_reminder_decrypts_with_the_browsers_keys(device, push_service, browser_keys):
    assert reminders.send_due(berlin(2026, 3, 20, 22, 5)) == 1
    [request] = push_service.received
    assert request.path == "/push/device-1"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["ttl"] == str(reminders.TTL_SECONDS)
    assert request.headers["topic"] == "ldn-bedtime-2026-03-20"
    message = browser_keys.decrypt(request.body)
    assert message["title"] == "Time for your LDN: 3 mg"
    assert message["body"] == "Bedtime dose for the evening of Friday 20 March."
    assert [a["title"] for a in message["actions"]] == ["Taken", "Skip", "Snooze 30 min"]
    assert message["act_url"] == "/push/act/" and message["tag"] == "ldn-dose-2026-03-20"
    row = PushReminder.objects.get()
    assert row.sent_at is not None and row.payload == ""  # the token is not kept once sent


def test_the_request_carries_our_vapid_signature_for_the_push_services_origin(
    device, push_service, settings
):
    reminders.send_due(berlin(2026, 3, 20, 22, 5))
    claims = vapid_claims(push_service.received[0].headers["authorization"], vapid.public_key())
    assert claims["aud"] == push_service.origin and claims["sub"] == settings.LDN_VAPID_SUBJECT


def test_another_browsers_keys_cannot_read_the_message(device, push_service):
    reminders.send_due(berlin(2026, 3, 20, 22, 5))
    with pytest.raises(Exception):  # noqa: B017 (the AES-GCM tag check fails)
        BrowserKeys().decrypt(push_service.received[0].body)


# When, and how often ---------------------------------------------------------------------------


def test_nothing_is_sent_before_bedtime(device, push_service):
    assert reminders.send_due(berlin(2026, 3, 20, 21, 55)) == 0
    assert push_service.received == [] and not PushReminder.objects.exists()


def test_each_device_gets_one_reminder_a_night_however_often_the_task_runs(
    device, push_service, browser_keys, world
):
    second = BrowserKeys()
    PushSubscription.objects.create(
        patient=world.alice,
        endpoint=push_service.endpoint("device-2"),
        p256dh=second.p256dh,
        auth=second.auth,
    )
    for minutes in (0, 5, 10, 55):
        reminders.send_due(berlin(2026, 3, 20, 22, minutes))
    assert sorted(r.path for r in push_service.received) == ["/push/device-1", "/push/device-2"]
    assert PushReminder.objects.filter(kind="bedtime", night=dt.date(2026, 3, 20)).count() == 2


def test_the_queued_huey_task_run_twice_sends_once(device, push_service, settings):
    settings.LDN_CLOCK_SHIFT = berlin(2026, 3, 20, 22, 5) - dt.datetime.now(dt.UTC)
    assert tasks.send_push_reminders_now.call_local() == 1
    assert tasks.send_push_reminders_now.call_local() == 0
    assert len(push_service.received) == 1


def test_a_push_service_that_fails_is_retried_with_the_same_message(
    device, push_service, browser_keys
):
    push_service.status = 500
    assert reminders.send_due(berlin(2026, 3, 20, 22, 5)) == 0
    row = PushReminder.objects.get()
    assert row.sent_at is None and row.last_error.startswith("push service answered 500")
    push_service.status = 201
    assert reminders.send_due(berlin(2026, 3, 20, 22, 10)) == 1
    first, second = sent_payloads(push_service, browser_keys)
    assert first["token"] == second["token"]  # the same outbox row, not a new reminder


def test_a_device_the_push_service_no_longer_knows_is_removed(device, push_service):
    push_service.status = 410
    reminders.send_due(berlin(2026, 3, 20, 22, 5))
    assert not PushSubscription.objects.exists() and not PushReminder.objects.exists()


def test_bedtime_follows_the_zone_across_the_spring_dst_change(device, push_service):
    # Berlin moves to summer time on 29 March 2026: 22:00 is 21:00 UTC on the 28th, 20:00 UTC
    # on the 29th.
    utc = dt.UTC
    assert reminders.bedtime_of(device.patient, dt.date(2026, 3, 28)) == dt.datetime(
        2026, 3, 28, 21, 0, tzinfo=utc
    )
    assert reminders.send_due(dt.datetime(2026, 3, 29, 20, 5, tzinfo=utc)) == 1
    assert reminders.send_due(dt.datetime(2026, 3, 28, 20, 5, tzinfo=utc)) == 0
    assert list(PushReminder.objects.values_list("night", flat=True)) == [dt.date(2026, 3, 29)]


def test_bedtime_follows_the_zone_across_the_autumn_dst_change(device, push_service):
    # Back to winter time on 25 October 2026: 22:00 is 20:00 UTC on the 24th, 21:00 on the 25th.
    utc = dt.UTC
    assert reminders.send_due(dt.datetime(2026, 10, 25, 20, 5, tzinfo=utc)) == 0
    assert reminders.send_due(dt.datetime(2026, 10, 25, 21, 5, tzinfo=utc)) == 1


def test_a_bedtime_just_after_midnight_goes_out_on_that_calendar_day(device, world, push_service):
    PatientProfile.objects.filter(user=world.alice).update(bedtime=dt.time(0, 30))
    assert reminders.send_due(berlin(2026, 3, 21, 0, 35)) == 1
    assert PushReminder.objects.get().night == dt.date(2026, 3, 21)


def test_a_paused_plan_sends_no_reminder(device, world, push_service):
    plan = plans.current_plan(world.alice).pause(dt.date(2026, 3, 18))
    plans.save_version(world.alice, plan, author=world.alice, reason="Paused")
    assert reminders.send_due(berlin(2026, 3, 20, 22, 5)) == 0
    assert push_service.received == []


def test_an_ended_plan_sends_no_reminder(device, world, push_service):
    ended = TitrationPlan(start=PLAN_START, steps=(PlanStep(dose_mg=1.5, from_day=0, to_day=10),))
    plans.save_version(world.alice, ended, author=world.alice, reason="Stopped")
    assert reminders.send_due(berlin(2026, 3, 20, 22, 5)) == 0


def test_a_dose_already_logged_sends_no_reminder(device, world, push_service):
    DoseLog.objects.create(patient=world.alice, day=dt.date(2026, 3, 20), status="taken")
    assert reminders.send_due(berlin(2026, 3, 20, 22, 5)) == 0


# The morning after ------------------------------------------------------------------------------


def test_the_missed_dose_notification_goes_out_the_next_morning_when_chosen(
    device, world, push_service, browser_keys
):
    PushSettings.objects.create(patient=world.alice, missed_dose_push=True)
    reminders.send_due(berlin(2026, 3, 20, 22, 5))
    assert reminders.send_due(berlin(2026, 3, 21, 9, 55)) == 0  # before bedtime + 12 h
    assert reminders.send_due(berlin(2026, 3, 21, 10, 5)) == 1
    message = sent_payloads(push_service, browser_keys)[-1]
    assert message["title"] == "No LDN dose logged last night"
    assert [a["action"] for a in message["actions"]] == ["taken", "skip"]


def test_no_missed_dose_notification_unless_chosen(device, push_service):
    reminders.send_due(berlin(2026, 3, 20, 22, 5))
    assert reminders.send_due(berlin(2026, 3, 21, 10, 5)) == 0


# The buttons -----------------------------------------------------------------------------------


@pytest.fixture
def delivered(device, push_service, browser_keys) -> dict:
    reminders.send_due(berlin(2026, 3, 20, 22, 5))
    return browser_keys.decrypt(push_service.received[0].body)


def act(client, message: dict, action: str):
    return client.post(
        message["act_url"], {"token": message["token"], action: action} | {"action": action}
    )


def test_taken_records_the_dose_of_that_evening(client, world, delivered):
    client.force_login(world.alice)
    response = act(client, delivered, "taken")
    assert response.json() == {"message": "Recorded: 3 mg taken on the evening of Friday 20 March."}
    dose = DoseLog.objects.get(patient=world.alice)
    assert (dose.day, dose.status, float(dose.amount_mg)) == (dt.date(2026, 3, 20), "taken", 3.0)


def test_a_replayed_answer_is_refused_and_changes_nothing(client, world, delivered):
    client.force_login(world.alice)
    act(client, delivered, "taken")
    response = act(client, delivered, "skip")
    assert response.status_code == 410
    assert response.json() == {"error": "This reminder was already answered; nothing was changed."}
    assert DoseLog.objects.get(patient=world.alice).status == "taken"
    assert UsedTakenLink.objects.count() == 1


def test_skip_records_the_dose_as_missed(client, world, delivered):
    client.force_login(world.alice)
    act(client, delivered, "skip")
    dose = DoseLog.objects.get(patient=world.alice)
    assert (dose.status, dose.amount_mg) == ("missed", None)


def test_an_answer_needs_the_signed_in_patient(client, world, delivered):
    response = act(client, delivered, "taken")
    assert response.status_code == 401
    assert response.json() == {"error": "Sign in to LDN Companion, then answer again."}
    client.force_login(world.mallory)
    response = act(client, delivered, "taken")
    assert response.status_code == 403
    assert response.json() == {
        "error": "This reminder belongs to another account: sign in as its owner."
    }
    assert not DoseLog.objects.exists() and not UsedTakenLink.objects.exists()


def test_a_forged_token_is_refused(client, world, delivered):
    client.force_login(world.alice)
    response = act(client, delivered | {"token": delivered["token"][:-2] + "xx"}, "taken")
    assert response.status_code == 404 and response.json() == {"error": "This link is not valid."}


def test_snooze_sends_the_reminder_again_30_minutes_later(
    client, world, delivered, push_service, browser_keys, settings
):
    settings.LDN_CLOCK_SHIFT = berlin(2026, 3, 20, 22, 10) - dt.datetime.now(dt.UTC)
    client.force_login(world.alice)
    response = act(client, delivered, "snooze")
    assert response.json() == {"message": "Snoozed: the reminder comes back in 30 minutes."}
    assert reminders.send_due(berlin(2026, 3, 20, 22, 35)) == 0
    assert reminders.send_due(berlin(2026, 3, 20, 22, 41)) == 1
    again = sent_payloads(push_service, browser_keys)[-1]
    assert again["title"] == "Time for your LDN: 3 mg" and again["token"] != delivered["token"]
    act(client, again, "taken")
    assert DoseLog.objects.get(patient=world.alice).status == "taken"


# VAPID keys ------------------------------------------------------------------------------------


def test_the_key_is_made_once_in_the_data_folder_readable_by_its_owner_only(settings, tmp_path):
    settings.LDN_VAPID_PRIVATE_KEY = ""
    settings.LDN_VAPID_KEY_FILE = tmp_path / "vapid_private_key.pem"
    first = vapid.public_key()
    assert stat.S_IMODE(settings.LDN_VAPID_KEY_FILE.stat().st_mode) == 0o600
    vapid._key.cache_clear()
    assert vapid.public_key() == first and len(first) == 87  # 65-byte point in base64url


def test_a_key_from_the_environment_is_used_instead(settings, tmp_path):
    settings.LDN_VAPID_KEY_FILE = tmp_path / "unused.pem"
    # The RFC 8292 example key pair's private scalar, base64url (web-push's format).
    settings.LDN_VAPID_PRIVATE_KEY = "IQ9Ur0ykXoHS9gzfYX0aBjy9lvdrjx_PFUXmie9YRcY"
    key = vapid.public_key()
    assert not settings.LDN_VAPID_KEY_FILE.exists()
    assert key.startswith("B")  # an uncompressed point starts with 0x04


# The devices page --------------------------------------------------------------------------------


def test_a_browser_subscribes_and_is_listed(client, world, browser_keys):
    client.force_login(world.alice)
    response = client.post(
        reverse("push:subscribe"),
        {"endpoint": "https://push.example.net/send/abc", "p256dh": browser_keys.p256dh,
         "auth": browser_keys.auth},
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["message"] == "Chrome on Android will get your bedtime reminders."
    device = PushSubscription.objects.get(patient=world.alice)
    assert device.p256dh == browser_keys.p256dh
    assert "Chrome on Android" in client.get(reverse("push:devices")).content.decode()


def test_a_subscription_with_bad_keys_is_refused_with_the_reason(client, world):
    client.force_login(world.alice)
    response = client.post(
        reverse("push:subscribe"),
        {"endpoint": "http://push.example.net/x", "p256dh": "abc", "auth": "abc"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "endpoint must be an https:// push service address, got http://" in error
    assert "keys.p256dh must be 65 bytes in base64url" in error
    assert not PushSubscription.objects.exists()


def test_removing_a_device_stops_its_reminders(client, world, device, push_service):
    client.force_login(world.alice)
    response = client.post(reverse("push:revoke", args=[device.pk]), follow=True)
    assert (
        "Chrome on Android is removed: it gets no more notifications." in response.content.decode()
    )
    assert reminders.send_due(berlin(2026, 3, 20, 22, 5)) == 0
    assert push_service.received == []


def test_the_missed_dose_channel_is_saved(client, world):
    client.force_login(world.alice)
    client.post(reverse("push:devices"), {"missed_dose_push": "on"})
    assert PushSettings.objects.get(patient=world.alice).missed_dose_push is True


def test_a_new_account_reaches_the_devices_page_from_the_reminders_page(client, world):
    client.force_login(world.alice)
    page = client.get(reverse("therapy:reminders")).content.decode()
    assert f'href="{reverse("push:devices")}"' in page


def test_the_payload_of_a_real_row_holds_no_token_after_sending(device, push_service):
    reminders.send_due(berlin(2026, 3, 20, 22, 5))
    assert json.dumps(list(PushReminder.objects.values("payload"))) == '[{"payload": ""}]'


def test_the_page_a_tap_on_the_notification_opens_can_record_a_skip(client, world, delivered):
    response = client.post(delivered["open_url"], {"answer": "skip"})
    assert "is logged as skipped" in response.content.decode()
    dose = DoseLog.objects.get(patient=world.alice)
    assert (dose.day, dose.status) == (dt.date(2026, 3, 20), "missed")


def test_a_malformed_vapid_key_in_the_environment_stops_start_up(tmp_path):
    from tests.cli.test_cli import run_ldn

    result = run_ldn(
        "manage", "check", LDN_VAPID_PRIVATE_KEY="not-a-key", LDN_DATA_DIR=str(tmp_path)
    )
    assert result.stderr == (
        "Error: LDN_VAPID_PRIVATE_KEY must be a PEM private key or a base64url P-256 key of 32"
        " bytes; got 9 characters that are neither\n"
    )


def test_the_outbox_row_is_the_idempotency_key(device):
    night, at = dt.date(2026, 3, 20), berlin(2026, 3, 20, 22, 5)
    assert reminders.queue(device, "bedtime", night, 3.0, at) is not None
    assert reminders.queue(device, "bedtime", night, 3.0, at) is None  # the unique constraint
    assert PushReminder.objects.count() == 1


def test_a_browser_subscribed_by_another_account_leaves_the_first_accounts_reminders(
    client, world, device, browser_keys
):
    reminders.queue(device, "bedtime", dt.date(2026, 3, 20), 3.0, berlin(2026, 3, 20, 22, 5))
    client.force_login(world.mallory)
    response = client.post(
        reverse("push:subscribe"),
        {"endpoint": device.endpoint, "p256dh": browser_keys.p256dh, "auth": browser_keys.auth},
    )
    assert response.status_code == 201
    assert list(PushSubscription.objects.values_list("patient__username", flat=True)) == ["mallory"]
    assert not PushReminder.objects.exists()
