"""Insights in a real browser: the demo patient's dashboard, and a blinded trial end to end."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    fits_without_horizontal_scroll,
    log_in,
    screenshot,
)
from tests.conftest import PASSWORD, make_patient

pytestmark = pytest.mark.django_db(transaction=True)


def check_both_widths(page) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert fits_without_horizontal_scroll(page), f"horizontal scroll at {size['width']} px"
    assert_accessible(page)


def test_the_demo_patients_dashboard_reads_well_on_phone_and_desktop(page):
    from ldn.web.journal.demo import create_demo_patient

    _, password = create_demo_patient(dt.date.today())
    log_in(page, "demo", password)
    page.get_by_role("link", name="Insights").first.click()
    page.get_by_role("heading", name="Is LDN working for me?").wait_for()
    expect(page.get_by_text("Symptoms at a glance")).to_be_visible()
    assert page.locator(".verdict.likely_better").count() >= 1
    page.locator("summary", has_text="Average by phase").first.click()  # the table twin
    expect(page.get_by_role("rowheader", name="On LDN 4.5 mg").first).to_be_visible()
    check_both_widths(page)
    screenshot(page, "insights-dashboard")


def test_a_blinded_trial_from_planning_to_the_unblinded_result(page, browser, live_server):
    from ldn.web.journal.models import Symptom

    patient = make_patient("trialist")
    Symptom.objects.create(patient=patient, key="pain", name="Pain")
    log_in(page, "trialist", PASSWORD)
    page.goto("/insights/trial/new/")
    check_both_widths(page)
    start = dt.date.today() + dt.timedelta(days=7)
    page.get_by_label("First day of period 1").fill(start.isoformat())
    page.get_by_role("button", name="Randomise and seal").click()
    page.get_by_role("heading", name="The pharmacy's allocation sheet").wait_for()
    trial_url = page.url
    assert "/insights/trial/sheet/" not in page.content()  # the patient never sees the link
    page.get_by_label("Your pharmacist's e-mail address").fill("rx@pharmacy.example")
    page.get_by_role("button", name="Send the link to my pharmacist").click()
    page.get_by_text("The pharmacist's link was e-mailed to r…@pharmacy.example").wait_for()
    link = re.search(r"(http://\S+/insights/trial/sheet/\S+/)", mail.outbox[-1].body).group(1)
    assert "placebo" not in page.locator(".periods").inner_text().lower()
    check_both_widths(page)
    screenshot(page, "insights-trial-schedule")

    pharmacist = browser.new_context(viewport=DESKTOP)
    sheet = pharmacist.new_page()
    sheet.goto(link)
    sheet.get_by_role("heading", name="Allocation sheet: blinded N-of-1 trial").wait_for()
    assert sheet.get_by_text("LDN 4.5 mg capsules").count() == 5
    check_both_widths(sheet)
    screenshot(sheet, "insights-allocation-sheet")
    pharmacist.close()

    page.goto(link)  # the patient opening the sheet by mistake is not unblinded
    expect(page.get_by_role("heading", name="This sheet is for your pharmacist")).to_be_visible()
    page.goto(trial_url)  # the pharmacist's one opening is shown; the patient's refusal is not
    assert page.get_by_text("Viewed by the pharmacist link on").count() == 1


def test_an_unblinded_result_page(page):
    from ldn.analysis import TrialDesign, generate_schedule
    from ldn.web.insights import trial as trials
    from ldn.web.journal.models import DailyEntry, Symptom, SymptomRating

    patient = make_patient("finished")
    design = TrialDesign(start=dt.date(2026, 3, 2), pairs=5, period_days=14, washout_days=4)
    seed = 20260302
    schedule = generate_schedule(design, np.random.default_rng(seed))
    rng = np.random.default_rng(1)
    symptoms = [
        Symptom.objects.create(patient=patient, key=k, name=n, position=i)
        for i, (k, n) in enumerate((("pain", "Pain"), ("fatigue", "Fatigue")))
    ]
    for p in schedule.periods:  # synthetic: pain 1.5 points lower on LDN, fatigue unchanged
        for i in range(design.period_days):
            entry = DailyEntry.objects.create(patient=patient, day=p.start + dt.timedelta(days=i))
            shift = -1.5 if p.treatment == "ldn" and i >= 2 else 0.0
            for s, base in zip(symptoms, (6.0 + shift, 5.0), strict=True):
                score = int(np.clip(round(base + rng.normal(0, 1.0)), 0, 10))
                SymptomRating.objects.create(entry=entry, symptom=s, score=score)
    t = trials.create_trial(patient, design, symptoms[0], seed=seed)
    log_in(page, "finished", PASSWORD)
    page.goto(f"/insights/trial/{t.pk}/")
    page.get_by_role("link", name="Unblind…").click()
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Unblind and show the result").click()
    page.get_by_role("heading", name="Trial result").wait_for()
    expect(page.get_by_text("The allocation matches the seal")).to_be_visible()
    expect(page.get_by_text("main symptom, chosen before the trial")).to_be_visible()
    check_both_widths(page)
    screenshot(page, "insights-trial-result")
