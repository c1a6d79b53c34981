"""Import as a person does it: a broken file shows every problem and saves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    fits_without_horizontal_scroll,
    log_in,
    screenshot,
)
from tests.conftest import PASSWORD, make_patient

pytestmark = pytest.mark.django_db(transaction=True)
FIXTURES = Path(__file__).resolve().parents[1] / "interop" / "fixtures"


def test_a_broken_flaredown_file_lists_each_problem_and_saves_nothing(page):
    from ldn.web.journal.models import DailyEntry

    make_patient("pat")
    log_in(page, "pat", PASSWORD)
    page.goto("/journal/import/")
    screenshot(page, "import")
    page.get_by_label("The file comes from").select_option("flaredown")
    page.get_by_label("File", exact=True).set_input_files(str(FIXTURES / "flaredown_broken.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Nothing was imported").wait_for()
    rows = page.locator("table tbody tr")
    assert rows.count() >= 3
    expect(page.get_by_text("error").first).to_be_visible()
    assert DailyEntry.objects.count() == 0
    screenshot(page, "import-errors")
    page.set_viewport_size(PHONE)
    assert fits_without_horizontal_scroll(page)
    assert_accessible(page)


def test_a_good_bearable_file_shows_the_scale_mapping_then_imports(page):
    from ldn.web.journal.models import DailyEntry

    make_patient("pat")
    log_in(page, "pat", PASSWORD)
    page.goto("/journal/import/")
    page.get_by_label("The file comes from").select_option("bearable")
    page.get_by_label("File", exact=True).set_input_files(str(FIXTURES / "bearable_good.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="How ratings are converted").wait_for()
    screenshot(page, "import-preview")
    button = page.get_by_role("button", name="Import")
    days = int(button.inner_text().split()[1])
    button.click()
    page.get_by_text("new days").wait_for()
    assert DailyEntry.objects.count() == days


def test_the_upload_names_the_format_survives_a_reload_and_says_nothing_new_the_second_time(page):
    from ldn.web.journal.models import DailyEntry

    make_patient("pat")
    log_in(page, "pat", PASSWORD)
    page.goto("/journal/import/")
    page.get_by_label("File", exact=True).set_input_files(str(FIXTURES / "flaredown_good.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("Format found: Flaredown CSV export").wait_for()
    screenshot(page, "import-format-found")
    page.reload()
    expect(page.get_by_text("Format found: Flaredown CSV export")).to_be_visible()
    page.get_by_role("button", name="Import 3 days").click()
    page.get_by_role("heading", name="Imported flaredown_good.csv").wait_for()
    page.reload()
    expect(page.get_by_text("3 new days, 0 updated, 0 already up to date")).to_be_visible()
    screenshot(page, "import-result")
    assert DailyEntry.objects.count() == 3

    page.goto("/journal/import/")
    page.get_by_label("File", exact=True).set_input_files(str(FIXTURES / "flaredown_good.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Nothing new").wait_for()
    assert page.get_by_role("button", name="Import").count() == 0
    screenshot(page, "import-nothing-new")
    assert_accessible(page)


def test_a_bearable_file_sent_as_our_csv_gets_one_message(page):
    make_patient("pat")
    log_in(page, "pat", PASSWORD)
    page.goto("/journal/import/")
    page.get_by_label("The file comes from").select_option("ours")
    page.get_by_label("File", exact=True).set_input_files(str(FIXTURES / "bearable_good.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Nothing was imported").wait_for()
    expect(page.get_by_text("This file looks like a Bearable CSV export").first).to_be_visible()
    assert page.locator("table tbody tr").count() == 1
    screenshot(page, "import-wrong-format")
    assert_accessible(page)
