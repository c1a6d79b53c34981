"""The library as a reader sees it: conditions index, a condition page and search, phone and desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

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
        assert_accessible(page)


def test_conditions_index_shows_grades_and_filters_without_javascript(page):
    page.goto("/learn/conditions/")
    expect(page.get_by_role("heading", name="Conditions and the evidence for LDN")).to_be_visible()
    expect(page.get_by_role("link", name="Fibromyalgia")).to_be_visible()
    _check_both_widths(page)
    screenshot(page, "learn-conditions")
    page.get_by_label("Evidence grade").select_option("E")
    page.get_by_role("button", name="Filter").click()
    assert "grade=E" in page.url
    assert page.get_by_role("link", name="Fibromyalgia").count() == 0


def test_fibromyalgia_page_shows_the_null_trial_next_to_the_positive_ones(page):
    page.goto("/learn/conditions/fibromyalgia/")
    expect(page.get_by_role("heading", name="Fibromyalgia", exact=True)).to_be_visible()
    expect(page.get_by_text("Null result", exact=True).first).to_be_visible()
    expect(page.get_by_text("Benefit", exact=True).first).to_be_visible()
    _check_both_widths(page)
    screenshot(page, "learn-fibromyalgia")


def test_a_typo_in_the_header_search_still_finds_fibromyalgia(page):
    page.goto("/")
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("searchbox", name="Search the LDN library").fill("fibromylgia")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="Search the library")).to_be_visible()
    first = page.locator("ol.results li").first.get_by_role("link")
    assert first.inner_text() == "Fibromyalgia"
    _check_both_widths(page)
    screenshot(page, "learn-search")
    first.click()
    page.wait_for_url("**/learn/conditions/fibromyalgia/")


@pytest.mark.parametrize(
    "path",
    [
        "/learn/",
        "/learn/grades/",
        "/learn/misconceptions/",
        "/learn/side-effects/",
        "/learn/safe-use/",
        "/learn/habits-and-therapies/",
        "/learn/organisations/",
        "/learn/references/",
        "/learn/conditions/multiple-sclerosis/",
        "/learn/conditions/als/",
    ],
)
def test_every_other_library_page_is_accessible_and_fits_a_phone(page, path):
    page.goto(path)
    expect(page.get_by_text("Last reviewed")).to_be_visible()
    _check_both_widths(page)
    name = path.strip("/").removeprefix("learn").strip("/").replace("/", "-")
    screenshot(page, f"learn-{name or 'index'}")
