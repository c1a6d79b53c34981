"""A full check-in as a person does it, counting every interaction."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import (
    PHONE,
    SCREENSHOTS,
    assert_accessible,
    fits_without_horizontal_scroll,
    log_in,
    screenshot,
)
from tests.conftest import PASSWORD, make_patient

pytestmark = pytest.mark.django_db(transaction=True)
SYMPTOMS = ["Pain", "Fatigue", "Brain fog", "Low mood", "Stiffness"]


class Counter:
    """Wraps the page's click/fill so the test counts what a person would do."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)


@pytest.fixture
def patient(db):
    from ldn.web.journal.models import Symptom

    user = make_patient("pat")
    for i, name in enumerate(SYMPTOMS):
        Symptom.objects.create(
            patient=user, key=name.lower().replace(" ", "_"), name=name, position=i
        )
    return user


def scale(page, legend: str, value: int):
    group = page.locator("fieldset.scale-field", has=page.locator("legend", has_text=legend))
    return group.locator("label.pill", has_text=str(value)).filter(
        has=page.locator(f"input[value='{value}']")
    )


def test_a_full_check_in_takes_at_most_15_interactions(page, patient):
    from ldn.web.journal.models import DailyEntry, DoseLog

    log_in(page, "pat", PASSWORD)
    page.goto("/journal/checkin/")
    page.set_viewport_size(PHONE)
    you = Counter(page)
    for name, value in zip(SYMPTOMS, [6, 7, 3, 2, 5], strict=True):
        you.click(scale(page, name, value))
    you.click(page.locator("label.pill", has_text="Vivid dreams"))
    you.click(page.locator("label.pill", has_text="Taken"))
    you.fill(page.get_by_label("Dose (mg)"), "1.5")
    you.fill(page.get_by_label("Hours slept"), "7.5")
    you.click(page.get_by_role("button", name="Save check-in"))
    page.get_by_text("Saved your check-in for").wait_for()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / "checkin_interactions.txt").write_text(f"{you.count}\n")
    print(f"check-in completed in {you.count} interactions")
    assert you.count <= 15
    entry = DailyEntry.objects.get(patient=patient)
    assert {r.symptom.name: r.score for r in entry.ratings.all()} == dict(
        zip(SYMPTOMS, [6, 7, 3, 2, 5], strict=True)
    )
    assert entry.side_effects == ["vivid_dreams"] and float(entry.sleep_hours) == 7.5
    dose = DoseLog.objects.get(patient=patient)
    assert dose.status == "taken" and float(dose.amount_mg) == 1.5
    assert fits_without_horizontal_scroll(page)
    assert_accessible(page)
    screenshot(page, "checkin")


def test_a_failed_save_keeps_what_was_typed_and_says_so(page, patient):
    from ldn.web.journal.models import DailyEntry, EntryRevision

    log_in(page, "pat", PASSWORD)
    page.goto("/journal/checkin/")
    scale(page, "Pain", 8).click()
    page.get_by_label("Hours slept").fill("5")
    page.route("**/journal/checkin/*/", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Save check-in").click()
    status = page.locator("#offline-status")
    status.get_by_text("Not sent yet").wait_for()
    assert "kept on this device" in status.inner_text()
    expect(page.get_by_label("Hours slept")).to_have_value("5")
    screenshot(page, "checkin-offline")

    page.unroute("**/journal/checkin/*/")
    sent = page.get_by_text("made on this device while offline").first
    try:  # Background Sync sends it at once (the browser is online) ...
        sent.wait_for(timeout=10_000)
    except PlaywrightTimeout:  # ... or else the next page load does
        page.reload()
        sent.wait_for()
    expect(page.get_by_label("Hours slept")).to_have_value("5.0")  # as saved
    assert DailyEntry.objects.get(patient=patient).ratings.get(symptom__name="Pain").score == 8
    assert EntryRevision.objects.filter(patient=patient).count() == 1  # saved once


def test_history_shows_the_chart_and_calendar_for_the_demo_patient(page):
    from datetime import date

    from ldn.web.journal.demo import create_demo_patient

    user, password = create_demo_patient(date.today())
    log_in(page, user.username, password)
    page.goto("/journal/history/")
    expect(page.get_by_role("heading", name="Pain day by day")).to_be_visible()
    expect(page.get_by_text("4.5 mg").first).to_be_visible()
    screenshot(page, "history")
    page.set_viewport_size(PHONE)
    assert fits_without_horizontal_scroll(page)
    assert_accessible(page)
