"""A stranger's unrecognised product: the page says it was not screened and asks for the pack's
active ingredients, then screens what the pack says it contains."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    fits_without_horizontal_scroll,
    screenshot,
)


def sign_up(page, username: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password", exact=True).fill("correct horse battery staple 42")
    page.get_by_label("Password confirmation").fill("correct horse battery staple 42")
    page.get_by_role("button", name="Create account").click()


def test_an_unrecognised_product_asks_for_its_ingredients_and_screens_them(page):
    sign_up(page, "frida")
    page.goto(reverse("therapy:medications"))
    page.get_by_label("Medication or product name").fill("Zorblax 20 mg")
    page.get_by_role("button", name="Add and screen").click()
    page.get_by_label("Medication or product name").fill("vitamin D")
    page.get_by_role("button", name="Add and screen").click()
    lead = page.locator(".screen-summary li.lead")
    assert lead.inner_text() == "1 not screened — ask a pharmacist: Zorblax 20 mg"
    link = page.get_by_role(
        "link", name="Add the ingredients printed on the pack for Zorblax 20 mg"
    )
    expect(link).to_be_visible()
    expect(page.get_by_text("Never take more opioid to overcome LDN")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert fits_without_horizontal_scroll(page)
    screenshot(page, "medications-unrecognised")

    link.click()
    page.get_by_label("Contains (active ingredients on the pack)").fill("tramadol, paracetamol")
    page.get_by_role("button", name="Save and screen").click()
    assert (
        lead.inner_text()
        == "1 contraindicated with LDN: Zorblax 20 mg (contains: tramadol, paracetamol)"
    )
    expect(page.get_by_role("row", name="Zorblax").first).to_be_visible()
    screenshot(page, "medications-contains-screened")
