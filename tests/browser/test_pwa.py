"""The installable app and offline use, in Chromium, with a brand-new account made in the UI.

Offline is the browser context's own network switch (context.set_offline): pages come from the
service worker's cache and a check-in goes into the IndexedDB queue until the network is back.
"""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    PHONE,
    SCREENSHOTS,
    assert_accessible,
    axe_violations,
    between_requests,
    screenshot,
)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "offline-pass-phrase-2026"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, service_workers="allow")
    page = context.new_page()
    yield page
    context.close()


def sign_up(page, username: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("Set-up, step 1 of 7").wait_for()  # onboarding; the pages below instead


def add_medication(page, name: str) -> None:
    page.goto("/therapy/medications/")
    page.get_by_label("Medication or product name").fill(name)
    page.get_by_role("button", name="Add and screen").click()
    page.get_by_text(f"Added {name} and screened").wait_for()


def kept_pages(page) -> list[str]:
    """The paths in the service worker's page caches (any user's)."""
    return page.evaluate(
        """async () => {
          const out = [];
          for (const name of await caches.keys()) {
            if (!name.startsWith("ldn-pages-")) continue;
            for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname);
          }
          return out.sort();
        }"""
    )


def wait_until_kept(page, path: str, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while path not in kept_pages(page):
        if time.monotonic() > end:
            raise AssertionError(f"{path} never cached; kept: {kept_pages(page)}")
        page.wait_for_timeout(200)


def go_online_ready(page) -> None:
    """Wait until the service worker controls the page (the first visit registers it)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")


def test_a_check_in_made_offline_is_saved_once_when_back_online(phone, live_server):
    from ldn.web.accounts.models import User
    from ldn.web.journal.models import DailyEntry, DoseLog, EntryRevision
    from ldn.web.pwa.models import OfflineCheckin

    page = phone
    sign_up(page, "offlinefirst")
    add_medication(page, "Tramadol 50 mg")  # an opioid: the safety banner is on every page
    page.goto("/journal/checkin/")
    go_online_ready(page)
    wait_until_kept(page, "/journal/checkin/")
    wait_until_kept(page, "/dashboard/")

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Today's check-in")).to_be_visible()
    assert page.locator(".safety-banner").first.is_visible()  # the cached page keeps the banner
    page.get_by_label("Hours slept").fill("6.5")
    page.locator("label.pill", has_text="Missed").click()
    page.get_by_role("button", name="Save check-in").click()
    status = page.locator("#offline-status")
    status.get_by_text("Not sent yet").wait_for()
    assert "kept on this device" in status.inner_text()
    screenshot(page, "pwa-checkin-offline")

    page.reload()  # still offline: the page from the cache, the answers from the queue
    status.get_by_text("kept on this device").wait_for()
    expect(page.get_by_label("Hours slept")).to_have_value("6.5")
    assert page.get_by_text(
        "is kept on this device and is sent when you are back online"
    ).first.is_visible()
    patient = User.objects.get(username="offlinefirst")
    assert not DailyEntry.objects.filter(patient=patient).exists()

    page.context.set_offline(False)  # Background Sync (or the page's "online" event) sends it
    page.get_by_text("made on this device while offline").first.wait_for()
    with between_requests(live_server):  # the worker may still be fetching pages
        entry = DailyEntry.objects.get(patient=patient)
        assert float(entry.sleep_hours) == 6.5
        assert DoseLog.objects.get(patient=patient, day=entry.day).status == "missed"
        assert EntryRevision.objects.filter(patient=patient).count() == 1
        assert OfflineCheckin.objects.filter(patient=patient, outcome="saved").count() == 1
    screenshot(page, "pwa-checkin-sent")

    page.reload()  # once more online: nothing left to send, nothing saved twice
    page.wait_for_timeout(1000)
    assert page.evaluate("LDNQueue.all().then((items) => items.length)") == 0
    with between_requests(live_server):
        assert EntryRevision.objects.filter(patient=patient).count() == 1


def test_logging_out_leaves_none_of_the_patients_pages_on_the_device(phone):
    page = phone
    sign_up(page, "sharedphone")
    page.goto("/journal/checkin/")
    go_online_ready(page)
    wait_until_kept(page, "/journal/checkin/")

    page.get_by_text("Menu").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")
    assert kept_pages(page) == []
    page.context.set_offline(True)
    page.goto("/journal/checkin/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    assert page.get_by_role("heading", name="Today's check-in").count() == 0


def test_the_app_is_installable_as_devtools_reports_it(browser, live_server, tmp_path):
    from tests.browser.conftest import CHROMIUM, FLAGS

    # A profile on disk: Chromium reports every incognito context as "in-incognito".
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=FLAGS,
        headless=True,
        viewport=PHONE,
        base_url=live_server.url,
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/")
    go_online_ready(page)
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    manifest = cdp.send("Page.getAppManifest")
    assert errors == []
    assert manifest["errors"] == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / "pwa-installability.json").write_text(
        json.dumps({"installabilityErrors": errors, "manifest": manifest}, indent=2)
    )
    page.goto("/manifest.webmanifest")
    screenshot(page, "pwa-manifest")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_check_in_and_insights_pass_axe_in_both_colour_schemes(phone, scheme):

    page = phone
    page.emulate_media(color_scheme=scheme)
    sign_up(page, f"scheme{scheme}")
    add_medication(page, "Tramadol 50 mg")  # the safety banner, in the scheme's colours
    page.goto("/journal/symptoms/")
    page.get_by_label("Symptom name").fill("Pain")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_label("New name for Pain").wait_for()
    for path, name in (("/journal/checkin/", "checkin"), ("/insights/", "insights")):
        page.goto(path)
        if name == "checkin":  # a chosen answer, in the scheme's "selected" colours
            page.locator("label.pill").first.click()
        background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        assert (background == "rgb(16, 23, 25)") == (scheme == "dark"), background
        screenshot(page, f"pwa-{scheme}-{name}")
        assert_accessible(page, impacts=None)


def test_the_demo_insights_charts_in_dark_mode(phone):
    """For showing only (the demo's months of data draw every chart); axe runs on it too."""
    from django.utils import timezone

    from ldn.web.journal.demo import create_demo_patient

    user, password = create_demo_patient(timezone.now().date())
    page = phone
    page.emulate_media(color_scheme="dark")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto("/insights/")
    found = axe_violations(page, rules=["color-contrast"])
    screenshot(page, "pwa-dark-insights-demo")
    # Contrast is what a colour scheme changes; the page's other findings are the light
    # scheme's too (a scrollable table without a tab stop), left to the insights pages.
    assert [v["id"] for v in found] == []
