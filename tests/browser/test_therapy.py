"""Therapy pages in Chromium: plan, liquid calculator, reminders, and the contraindication banner."""

from __future__ import annotations

import datetime as dt

import pytest
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
    expect(page.get_by_text("Paused for dental surgery")).to_be_visible()
    check(page, "therapy-plan")


def test_the_liquid_calculator_answers_and_shows_errors_at_the_field(page, patient):
    page.goto("/therapy/liquid/")
    page.get_by_label("Water (ml)").fill("45")
    page.get_by_label("Prescribed dose (mg)").fill("4.5")  # no plan signed in: no default dose
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_role("heading", name="Draw up 4.1 ml")).to_be_visible()
    check(page, "therapy-liquid")
    page.get_by_label("Water (ml)").fill("0")
    page.get_by_role("button", name="Calculate").click()
    assert page.locator(".field-error").inner_text() == "Water (ml) must be greater than 0, got 0."
    assert_accessible(page)


def test_adding_oxycodone_puts_the_banner_on_the_dashboard_without_a_click(page, patient):
    log_in(page, "pat", PASSWORD)
    page.goto("/therapy/medications/")
    page.get_by_label("Medication or product name").fill("oxycodone")
    page.get_by_role("button", name="Add and screen").click()
    page.goto("/dashboard/")
    banner = page.get_by_role("alert").filter(has_text="Safety alert")
    assert banner.is_visible() and "Oxycodone: Do not take LDN" in banner.inner_text()
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


SIX_OPIOID_PRODUCTS = [
    "tramadol",
    "Tramadol 50 mg capsules",
    "tramadol hydrochloride 100 mg",
    "oxycodone",
    "morphine",
    "codeine",
]


def test_the_banner_with_six_opioid_products_takes_at_most_a_third_of_a_phone_screen(page, db):
    from ldn.web.journal.models import Medication
    from ldn.web.therapy import screening

    user = make_patient("six")
    for name in SIX_OPIOID_PRODUCTS:
        Medication.objects.create(patient=user, name=name)
    screening.run(user, "on_demand")
    log_in(page, "six", PASSWORD)
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto("/dashboard/")
    banner = page.locator(".safety-banner")
    lines = banner.locator("ul.safety-lines > li")
    # One line per active ingredient: tramadol once for its three products.
    assert lines.count() == 4
    assert lines.nth(0).inner_text().startswith("Tramadol")
    expect(lines.nth(0)).to_be_visible()
    assert "Do not take LDN together with this medicine." in lines.nth(0).inner_text()
    height = banner.bounding_box()["height"]
    assert height <= 667 / 3, f"banner is {height:.0f} px of a 667 px screen"
    assert not banner.locator("details").get_attribute("open")
    banner.get_by_text("Why, and what to do").click()
    expect(banner.get_by_text("can bring on sudden withdrawal").first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "therapy-banner-six-opioids-375x667.png"))
    page.get_by_text("Why, and what to do").click()
    assert_accessible(page)
    screenshot(page, "therapy-banner-six-opioids")


def test_removing_a_medication_asks_first(page, patient):
    from ldn.web.journal.models import Medication

    log_in(page, "pat", PASSWORD)
    page.goto("/therapy/medications/")
    page.get_by_label("Medication or product name").fill("oxycodone")
    page.get_by_role("button", name="Add and screen").click()
    med = Medication.objects.get(patient=patient, name="oxycodone")
    page.goto(f"/therapy/medications/{med.pk}/")
    page.get_by_role("link", name="Remove oxycodone…").click()
    expect(page.get_by_role("heading", name="Remove oxycodone?")).to_be_visible()
    assert Medication.objects.filter(pk=med.pk).exists()
    check(page, "therapy-medication-remove")
    page.get_by_role("button", name="Yes, remove oxycodone").click()
    assert not Medication.objects.filter(pk=med.pk).exists()
    expect(page.get_by_text("Removed oxycodone from your list.")).to_be_visible()


def test_own_steps_are_typed_as_rows_and_a_45_mg_typo_asks_for_confirmation(page, patient):
    from ldn.web.therapy.models import PlanVersion

    log_in(page, "pat", PASSWORD)
    page.goto("/therapy/plan/change/")
    page.get_by_label("My own steps (enter them below)").check()
    page.get_by_label("Dose (mg), row 1").fill("1.5")
    page.get_by_label("From, row 1").fill("2026-03-02")
    page.get_by_label("For how many days, row 1").fill("14")
    page.get_by_label("Dose (mg), row 2").fill("45")
    page.get_by_label("From, row 2").fill("2026-03-16")
    page.get_by_label("Why (kept in the plan's history)").fill("Dr Lee's letter")
    before = PlanVersion.objects.filter(patient=patient).count()
    page.get_by_role("button", name="Save the plan").click()
    confirm = page.get_by_label("Yes, 45 mg is right: I know it is above the usual LDN range")
    expect(confirm).to_be_visible()
    expect(confirm).not_to_be_checked()
    assert PlanVersion.objects.filter(patient=patient).count() == before
    check(page, "therapy-plan-edit-confirm")
    page.get_by_label("Dose (mg), row 2").fill("4.5")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Plan saved.")).to_be_visible()
    row = PlanVersion.objects.filter(patient=patient).order_by("-number").first()
    assert [s["dose_mg"] for s in row.steps] == [1.5, 4.5]


def test_the_liquid_calculator_flags_0_75_mg_on_a_0_5_ml_syringe(page, patient):
    log_in(page, "pat", PASSWORD)
    page.goto("/therapy/liquid/")
    expect(page.get_by_label("Prescribed dose (mg)")).to_have_value("2")  # tonight: the 2 mg step
    page.get_by_label("Prescribed dose (mg)").fill("0.75")
    page.get_by_label("Syringe graduation").select_option("0.5")
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_role("heading", name="Draw up 1.0 ml")).to_be_visible()
    flag = page.get_by_role("alert").filter(has_text="+33.33 %")
    expect(flag).to_be_visible()
    assert "Use a syringe with 0.05 ml marks: draw 0.75 ml" in flag.inner_text()
    check(page, "therapy-liquid-flagged")
