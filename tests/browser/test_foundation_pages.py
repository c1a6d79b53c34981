"""What a person sees on the home page, sign-up and the dashboard, on a phone and a desktop."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    fits_without_horizontal_scroll,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_shows_the_opioid_warning_without_a_click(page):
    page.goto("/")
    warning = page.get_by_text("Do not take LDN together with opioid pain medicines")
    expect(warning).to_be_visible()
    page.set_viewport_size(PHONE)
    assert fits_without_horizontal_scroll(page)
    assert_accessible(page)
    screenshot(page, "home")


def test_a_new_patient_signs_up_and_lands_on_the_first_setup_step(page):
    page.goto("/accounts/signup/")
    screenshot(page, "signup")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Email").fill("erin@example.org")
    page.get_by_label("Password", exact=True).fill("correct horse battery staple 42")
    page.get_by_label("Password confirmation").fill("correct horse battery staple 42")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Your time zone")).to_be_visible()
    expect(page.get_by_text("Welcome! Your account is ready.")).to_be_visible()
    assert_accessible(page)


def test_sign_up_errors_are_shown_at_the_field(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Email").fill("nope")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    screenshot(page, "signup-errors")


def test_the_demo_patient_logs_in_and_sees_the_dashboard(page):
    from ldn.web.journal.demo import create_demo_patient

    user, password = create_demo_patient(date.today())
    log_in(page, user.username, password)
    expect(page.get_by_role("heading", name="Hello, Demo")).to_be_visible()
    expect(page.get_by_text("Synthetic demo patient.")).to_be_visible()
    assert (
        page.get_by_role("cell", name="Pain").is_visible()
        or page.get_by_text("Pain").first.is_visible()
    )
    page.set_viewport_size(PHONE)
    assert fits_without_horizontal_scroll(page)
    assert_accessible(page)
    screenshot(page, "dashboard")
