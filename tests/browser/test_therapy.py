"""Therapy pages in Chromium: plan, liquid calculator, reminders, and the contraindication banner."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    fits_without_horizontal_scroll,
    log_in,
    screenshot,
)
from tests.conftest import PASSWORD, make_patient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def patient(db):
    from ldn.dosing import template
    from ldn.web.accounts.clock import local_today
    from ldn.web.journal.models import DoseLog
    from ldn.web.therapy import plans

    user = make_patient("pat")
    today = local_today(user)
    start = today - dt.timedelta(days=20)
    plans.save_version(
        user, template("ldnrt-standard").plan(start), author=user, reason="Prescribed by Dr Lee"
    )
    for offset in range(19):
        if offset % 6 != 5:
            DoseLog.objects.create(
                patient=user, day=start + dt.timedelta(days=offset), status="taken"
            )
    plan = plans.current_plan(user).pause(
        today + dt.timedelta(days=18), today + dt.timedelta(days=21), reason="dental surgery"
    )
    plans.save_version(user, plan, author=user, reason="Paused for dental surgery")
    return user


def check(page, name: str) -> None:
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert fits_without_horizontal_scroll(page)
    screenshot(page, name)


def test_the_plan_page_shows_tonights_dose_calendar_and_history(page, patient):
    log_in(page, "pat", PASSWORD)
    page.goto("/therapy/plan/")
    assert page.locator(".dose-big").inner_text() == "2 mg"  # day 20: the 2 mg step (days 14-27)
    assert page.locator(".dose-calendar td.paused").count() == 4
    assert page.get_by_text("Paused for dental surgery").is_visible()
    check(page, "therapy-plan")


def test_the_liquid_calculator_answers_and_shows_errors_at_the_field(page, patient):
    page.goto("/therapy/liquid/")
    page.get_by_label("Water (ml)").fill("45")
    page.get_by_role("button", name="Calculate").click()
    assert page.get_by_role("heading", name="Draw up 4.1 ml").is_visible()
    check(page, "therapy-liquid")
    page.get_by_label("Water (ml)").fill("0")
    page.get_by_role("button", name="Calculate").click()
    assert page.locator(".field-error").inner_text() == "water_ml must be greater than 0, got 0"
    assert_accessible(page)


def test_adding_oxycodone_puts_the_banner_on_the_dashboard_without_a_click(page, patient):
    log_in(page, "pat", PASSWORD)
    page.goto("/therapy/medications/")
    page.get_by_label("Medication or product name").fill("oxycodone")
    page.get_by_role("button", name="Add and screen").click()
    page.goto("/dashboard/")
    banner = page.get_by_role("alert").filter(has_text="Safety alert")
    assert banner.is_visible() and "oxycodone" in banner.inner_text()
    check(page, "therapy-banner-dashboard")
    page.goto("/therapy/medications/")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator("tr.sev-contraindicated").count() >= 1
    check(page, "therapy-medications")


def test_the_reminders_page_has_the_feed_link_copy_button_and_qr_code(page, patient):
    log_in(page, "pat", PASSWORD)
    page.goto("/therapy/reminders/")
    link = page.get_by_role("textbox", name="Your private calendar link").input_value()
    assert "/therapy/feed/" in link and link.endswith(".ics")
    assert page.locator("figure.qr svg").count() == 1
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    page.get_by_text("Link copied.").wait_for(timeout=5000)
    check(page, "therapy-reminders")
