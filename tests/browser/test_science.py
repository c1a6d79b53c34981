"""The "How LDN works" page in a real browser: the slider redraws the chart and the table."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ldn.web.science import charts
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    fits_without_horizontal_scroll,
    screenshot,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _check_both_widths(page) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert fits_without_horizontal_scroll(page), f"horizontal scroll at {size['width']} px"
        assert _spilling_out_of_cards(page) == [], f"content wider than its card at {size}"
        assert_accessible(page)


def _spilling_out_of_cards(page) -> list[str]:
    """Elements whose right edge passes the right edge of the card that holds them."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.science .card *')).filter(e => {
            const card = e.closest('.card').getBoundingClientRect();
            const box = e.getBoundingClientRect();
            return box.width > 0 && box.right > card.right + 0.5;
        }).map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )


def _table_cells(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#science-table tbody tr",
        "rows => rows.map(r => Array.from(r.querySelectorAll('td, td span'))"
        "  .filter(c => !c.querySelector('span')).map(c => c.textContent.trim()))",
    )


def _move_slider_to(page, index: int) -> None:
    slider = page.get_by_role("slider", name=re.compile("Dose at 22:00"))
    slider.focus()
    slider.press("Home")
    for _ in range(index):
        slider.press("ArrowRight")


def test_the_slider_changes_the_dose_the_summary_and_the_table(page):
    page.goto("/how-ldn-works/")
    expect(page.get_by_role("heading", name="How LDN works", exact=True)).to_be_visible()
    expect(page.locator("#dose-form")).to_be_hidden()  # the no-JavaScript form gives way
    expect(page.locator("#dose-output")).to_have_text("4.5 mg")
    before = _table_cells(page)
    assert before == [r.values() for r in charts.rows(4.5)]

    _move_slider_to(page, charts.DOSES.index(1.5))
    assert page.locator("#dose-output").inner_text() == "1.5 mg"
    assert page.get_by_role("slider").get_attribute("aria-valuetext") == "1.5 mg"
    after = _table_cells(page)
    assert after == [r.values() for r in charts.rows(1.5)]
    assert after != before
    assert "1.5 mg" in page.locator("#science-table caption").text_content()
    assert page.url.endswith("?dose=1.5")


def test_the_script_draws_the_same_paths_as_the_server(page):
    page.goto("/how-ldn-works/?dose=3")
    served = page.eval_on_selector_all("path[id]", "ps => ps.map(p => p.getAttribute('d'))")
    _move_slider_to(page, charts.DOSES.index(50.0))
    expect(page.locator("#scale-note")).to_be_visible()
    expect(page.locator("#ref-legend")).to_be_hidden()
    _move_slider_to(page, charts.DOSES.index(3.0))
    redrawn = page.eval_on_selector_all("path[id]", "ps => ps.map(p => p.getAttribute('d'))")
    assert redrawn == served


def test_the_page_fits_a_phone_and_passes_axe_and_looks_right(page):
    page.goto("/how-ldn-works/")
    page.get_by_text("The same curves as a table, hour by hour").click()
    _check_both_widths(page)
    screenshot(page, "science-how-ldn-works")
    _move_slider_to(page, charts.DOSES.index(50.0))
    screenshot(page, "science-how-ldn-works-50mg")


def test_without_a_script_the_dose_form_still_works(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/how-ldn-works/")
        page.get_by_label("Dose", exact=True).select_option("2")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url("**/how-ldn-works/?dose=2")
        assert "2 mg" in page.locator("#science-table caption").text_content()
        assert fits_without_horizontal_scroll(page)
        screenshot(page, "science-how-ldn-works-nojs")
    finally:
        context.close()


def test_the_validation_table_fits_a_phone_and_passes_axe(page):
    page.goto("/how-ldn-works/")
    page.get_by_role("link", name="see the validation table").click()
    expect(page.get_by_role("heading", name="The model beside the published data")).to_be_visible()
    _check_both_widths(page)
    screenshot(page, "science-validation")


def test_the_header_link_reaches_the_page_on_a_phone(page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.locator("summary", has_text="Menu").click()  # on a phone the link lives in the menu
    page.locator(".menu-panel").get_by_role("link", name="How LDN works").click()
    page.wait_for_url("**/how-ldn-works/")  # waits for the new page's load event, not only its URL
    assert fits_without_horizontal_scroll(page)
