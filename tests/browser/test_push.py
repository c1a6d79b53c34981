"""Push reminders in Chromium: the server's encrypted reminder, opened with the browser's keys,
is delivered to the real service worker through the DevTools protocol
(ServiceWorker.deliverPushMessage); the worker shows the notification with its buttons, and its
notificationclick handler's "Taken" records the dose through the signed-in session."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    between_requests,
    fits_without_horizontal_scroll,
    log_in,
    screenshot,
)
from tests.conftest import PASSWORD, make_patient
from tests.web.push_helpers import BrowserKeys, PushService

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(page, check, seconds: float = 10.0):
    """Poll `check`, letting Playwright dispatch events (CDP, worker) in between."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {seconds} s: {check.__doc__ or check}")


@pytest.fixture
def patient(db):
    from ldn.web.accounts.clock import local_today
    from tests.web.therapy_helpers import give_plan

    user = make_patient("pat")
    give_plan(user, "1.5@0,3@14,4.5@28", start=local_today(user) - dt.timedelta(days=20))
    return user


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


def test_the_workers_taken_button_records_tonights_dose(
    browser, live_server, patient, push_service
):
    from ldn.web.accounts.clock import local_today, now
    from ldn.web.journal.models import DoseLog
    from ldn.web.push import reminders
    from ldn.web.push.models import PushSubscription
    from ldn.web.therapy.reminders import dose_due

    context = browser.new_context(viewport=PHONE, base_url=live_server.url, service_workers="allow")
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    log_in(page, "pat", PASSWORD)
    page.goto("/push/devices/")
    worker = (
        context.service_workers[0]
        if context.service_workers
        else context.wait_for_event("serviceworker")
    )
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    assert worker.evaluate("typeof self.ldnPush") == "object"  # sw-push.js was imported

    # The server sends tonight's reminder to a device whose keys this test holds.
    keys = BrowserKeys()
    with between_requests(live_server):  # the worker may be fetching pages meanwhile
        PushSubscription.objects.create(
            patient=patient, endpoint=push_service.endpoint(), p256dh=keys.p256dh, auth=keys.auth
        )
        tonight = local_today(patient)
        at = reminders.bedtime_of(patient, tonight) + dt.timedelta(minutes=5)
        assert reminders.send_due(at) == 1
        dose = dose_due(patient, tonight)
    payload = keys.decrypt(push_service.received[0].body)

    # ... and Chromium's push event gets it, as a push service would deliver it.
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    wait_for(page, lambda: registrations)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registrations[0]["registrationId"],
            "data": json.dumps(payload),
        },
    )
    shown = wait_for(
        page,
        lambda: worker.evaluate(
            "self.registration.getNotifications().then(ns => ns.map(n => ({title: n.title, body: n.body, tag: n.tag, actions: n.actions.map(a => a.title)})))"
        ),
    )
    # This Chromium shows two buttons (Notification.maxActions): Taken and Snooze 30 min.
    assert worker.evaluate("Notification.maxActions") == 2
    assert shown == [
        {
            "title": f"Time for your LDN: {dose:g} mg",
            "body": f"Bedtime dose for the evening of {tonight:%A} {tonight.day} {tonight:%B}.",
            "tag": f"ldn-dose-{tonight.isoformat()}",
            "actions": ["Taken", "Snooze 30 min"],
        }
    ]

    # The notificationclick listener with the "taken" button.
    worker.evaluate(
        """self.registration.getNotifications().then(ns => {
             self.dispatchEvent(new NotificationEvent("notificationclick", {notification: ns[0], action: "taken"}));
           })"""
    )

    def logged_dose():
        with between_requests(live_server):
            return DoseLog.objects.filter(patient=patient, day=tonight).first()

    logged = wait_for(page, logged_dose)
    assert (logged.status, float(logged.amount_mg)) == ("taken", dose)
    replies = wait_for(
        page,
        lambda: worker.evaluate(
            "self.registration.getNotifications().then(ns => ns.filter(n => n.tag.endsWith('-reply')).map(n => n.body))"
        ),
    )
    assert replies == [
        f"Recorded: {dose:g} mg taken on the evening of {tonight:%A} {tonight.day} {tonight:%B}."
    ]
    assert now()  # the clock seam the worker uses is the real one here
    context.close()


def test_the_devices_page_lists_devices_and_previews_tonights_notification(page, patient):
    from ldn.web.push.models import PushSubscription

    PushSubscription.objects.create(
        patient=patient,
        endpoint="https://push.example.net/a",
        p256dh="B" + "A" * 86,
        auth="A" * 22,
        label="Chrome on Android",
    )
    log_in(page, "pat", PASSWORD)
    page.goto("/therapy/reminders/")
    page.get_by_role("link", name="notifications page").click()
    expect(page.get_by_role("heading", name="Notifications on your devices")).to_be_visible()
    assert page.locator(".device-list li").first.inner_text().startswith("Chrome on Android")
    assert page.locator(".push-preview-actions span").all_inner_texts() == [
        "Taken",
        "Skip",
        "Snooze 30 min",
    ]
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert fits_without_horizontal_scroll(page)
    screenshot(page, "push-devices")
    page.get_by_role("button", name="Remove Chrome on Android").click()
    assert page.get_by_text(
        "Chrome on Android is removed: it gets no more notifications."
    ).is_visible()
    assert not PushSubscription.objects.exists()
