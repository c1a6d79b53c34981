"""A brand-new patient's first 90 days, in a real browser, with nothing the UI cannot create.

Sign up, set up (every step), add an own symptom, check in on an evening before bedtime, back-fill
a day with "same as", then walk 90 days with the clock seam (settings.LDN_CLOCK_SHIFT): the days
in between are real check-in form POSTs sent from the browser's own session, never fixtures.
Ends on the insights page with verdicts. Screenshots at 375 and 1280 px land in
artifacts/screenshots/journey-*.png; the tap count of a full check-in in artifacts/.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import numpy as np
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    assert_accessible,
    fits_without_horizontal_scroll,
    screenshot,
)
from tests.browser.onboarding import Newcomer, onboard, sign_up

pytestmark = pytest.mark.django_db(transaction=True)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
PASSWORD = "journey-pass-phrase-2026"
SUGGESTED = ["Pain", "Fatigue", "Poor sleep", "Brain fog"]
OWN = "Jaw pain"


class Clock:
    """Moves the one clock seam to a wall time in Berlin (the live server reads the same settings)."""

    def __init__(self, settings):
        self.settings = settings

    def at(self, day: dt.date, hour: int, minute: int = 0) -> None:
        target = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)
        self.settings.LDN_CLOCK_SHIFT = target - timezone.now()


class Taps:
    """Counts what a person does with a finger: every click, and every field they type into."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)


def check_page(page, name: str, *, new: bool = True) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert fits_without_horizontal_scroll(page), f"{name}: horizontal scroll at {size}"
    if new:
        assert_accessible(page, impacts=None)  # every violation, whatever its impact
    else:
        assert_accessible(page)
    screenshot(page, f"journey-{name}")


def scale(page, legend: str, value: int):
    return page.get_by_role("group", name=legend, exact=True).locator(f"label[for$='_{value}']")


def score(rng, base: float, day: int, first_dose: int) -> int:
    """A patient who improves by about three points over the month after the first dose."""
    drop = 0.0 if day < first_dose else min(3.0, (day - first_dose) / 10)
    return int(np.clip(round(base - drop + rng.normal(0, 0.8)), 0, 10))


@pytest.fixture
def journey_page(browser, live_server):
    context = browser.new_context(
        viewport=DESKTOP, base_url=live_server.url, timezone_id="Europe/Berlin"
    )
    page = context.new_page()
    yield page
    context.close()


def test_a_new_patients_first_90_days(journey_page, settings):
    from ldn.web.accounts.models import User
    from ldn.web.journal.models import DailyEntry, DoseLog, Symptom
    from ldn.web.therapy.plans import current_plan

    page, clock = journey_page, Clock(settings)
    day0 = timezone.localtime(timezone.now(), BERLIN).date()
    clock.at(day0, 19, 0)

    # Sign up: a brand-new account, then every onboarding step (tests/browser/onboarding.py).
    who = Newcomer(
        "newcomer", PASSWORD, conditions=("Fibromyalgia",), symptoms=tuple(SUGGESTED),
        medications=("Tramadol 50 mg",),
    )  # fmt: skip
    names = {1: "zone", 2: "bedtime", 3: "conditions", 4: "symptoms", 5: "medications",
             7: "reminders"}  # fmt: skip

    def at_step(page, n: int) -> None:
        if n == 1:  # the time zone, detected from the browser, confirmed
            expect(page.get_by_label("Time zone", exact=True)).to_have_value("Europe/Berlin")
            expect(page.get_by_text("Your device says Europe/Berlin")).to_be_visible()
            page.get_by_label("Find your time zone").fill("germany")
        if n == 4:  # symptoms suggested for fibromyalgia (OMERACT domains)
            page.locator("summary", has_text="Why these?").click()
            expect(
                page.get_by_text("outcome domains named in Mease P et al.").first
            ).to_be_visible()
        if n == 5:  # medications, screened at once
            expect(page.locator("table.findings .badge.contraindicated").first).to_be_visible()
        check_page(page, f"onboarding-{n}-{names[n]}")

    first_dose = day0 + dt.timedelta(days=28)

    def plan(page) -> None:  # a first dose in 3 days is explained and a later start offered
        page.get_by_label("First dose on").fill((day0 + dt.timedelta(days=3)).isoformat())
        page.get_by_role("button", name="Save the plan").click()
        page.get_by_role("heading", name="Your first dose is less than 14 days away").wait_for()
        check_page(page, "onboarding-6-plan")
        page.get_by_label("1.5 mg, 3 mg, 4.5 mg: +1.5 mg every 7 days").check()
        page.get_by_role("button", name=f"Start on {first_dose:%A %-d %B} instead").click()

    sign_up(page, who)
    onboard(page, who, plan, at_step)
    user = User.objects.get(username="newcomer")
    assert user.profile.onboarding_step == "" and user.profile.time_zone == "Europe/Berlin"
    assert current_plan(user).start == first_dose

    # The symptom manager, from the dashboard: an own symptom makes five.
    page.get_by_role("link", name="Your symptoms: add, rename or archive").click()
    page.get_by_label("Symptom name").fill(OWN)
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text(f"Added “{OWN}”").wait_for()
    check_page(page, "symptom-manager")
    names = [*SUGGESTED, OWN]
    assert list(Symptom.objects.filter(patient=user).values_list("name", flat=True)) == names

    # Day 1, 19:00, before bedtime: the dose question is unanswered; the day is rated.
    page.goto("/journal/checkin/")
    expect(page.get_by_text("Tonight's dose is due at 22:00")).to_be_visible()
    assert page.locator("input[name=dose_status]:checked").count() == 0
    for name, value in zip(names, [6, 6, 5, 4, 3], strict=True):
        scale(page, name, value).click()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Saved your check-in for").wait_for()
    check_page(page, "checkin-day1")
    assert not DoseLog.objects.filter(patient=user).exists()
    page.goto("/journal/history/")
    page.get_by_text("1 day rated.").wait_for()
    check_page(page, "history-day1")
    # Insights on day 1: the first check-in is saved and joins the analysis (whole days) tomorrow.
    page.goto("/insights/")
    expect(page.get_by_text("No whole day in your diary yet.")).to_be_visible()
    expect(page.locator("#counted-to")).to_contain_text("joins the analysis tomorrow")
    check_page(page, "insights-day1")

    # Day 3: yesterday (day 2) back-filled, starting empty, with "same as" day 1.
    clock.at(day0 + dt.timedelta(days=2), 20, 0)
    page.goto(f"/journal/checkin/{day0 + dt.timedelta(days=1)}/")
    assert page.locator("input[name^=symptom_]:checked").count() == 0
    page.get_by_role("button", name=f"Same as {day0:%a %-d %b}").click()
    page.get_by_text(f"Copied from {day0:%A %-d %B}").wait_for()
    scale(page, "Pain", 7).click()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Saved your check-in for").wait_for()
    backfilled = DailyEntry.objects.get(patient=user, day=day0 + dt.timedelta(days=1))
    assert {r.symptom.name: r.score for r in backfilled.ratings.all()}["Pain"] == 7
    assert backfilled.sleep_hours is None
    assert not DoseLog.objects.filter(patient=user, day=backfilled.day).exists()

    # Days 3-90: each evening after bedtime, a check-in; the first dose on day 15 by hand.
    plan = current_plan(user)
    pks = {s.name: s.pk for s in Symptom.objects.filter(patient=user)}
    rng = np.random.default_rng(12)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    taps = None
    for offset in range(2, 90):
        day = day0 + dt.timedelta(days=offset)
        clock.at(day, 23, 0)
        dose = plan.dose_on(day)
        if day == first_dose:
            taps = full_check_in_by_hand(page, names, day, dose)
            continue
        data = {
            f"symptom_{pks[n]}": score(rng, b, offset, 28)
            for n, b in zip(names, [6, 6, 5, 4, 3], strict=True)
        }
        data |= {"csrfmiddlewaretoken": token, "sleep_hours": "7"}
        if dose:
            data |= {"dose_status": "taken", "dose_mg": f"{dose:g}", "dose_time": "22:10"}
        response = page.request.post("/journal/checkin/", form=data, max_redirects=0)
        assert response.status == 302, f"day {offset + 1}: {response.status}"
        if offset == 7:  # a week of baseline scores: the dashboard says when a change would show
            page.goto("/")  # shows (and so clears) the "saved" messages of the POSTs above
            page.goto("/dashboard/")
            know = page.locator("section.know")
            expect(know.get_by_role("columnheader", name="2-point change")).to_be_visible()
            assert know.locator("tbody tr").count() == len(names)
            assert know.locator("tbody td strong").count() >= 1, know.inner_text()
            check_page(page, "dashboard-week1-when-will-i-know", new=False)
    assert DailyEntry.objects.filter(patient=user).count() == 90

    # Day 90: check-in, history and the 12-week insights with verdicts.
    page.goto("/")  # shows (and so clears) the "saved" messages of the POSTs above
    page.goto("/journal/checkin/")
    check_page(page, "checkin-day90")
    page.goto("/journal/history/")
    page.get_by_text("90 days rated.").wait_for()
    expect(page.get_by_text(f"From {first_dose:%-d %b %Y}: 1.5 mg")).to_be_visible()
    assert page.get_by_text(
        f"From {first_dose + dt.timedelta(days=14):%-d %b %Y}: 4.5 mg"
    ).is_visible()
    check_page(page, "history-day90")
    page.get_by_role(
        "link", name=f"{day0 + dt.timedelta(days=89):%a %-d %b %Y}", exact=True
    ).click()
    page.get_by_role("heading", name="Change history").wait_for()
    check_page(page, "entry-day90")
    page.goto("/insights/")
    page.get_by_role("heading", name="Is LDN working for me?").wait_for()
    verdicts = page.locator(".verdict").all_inner_texts()
    assert "Likely better" in verdicts, verdicts
    check_page(page, "insights-day90", new=False)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / "journey_checkin_taps.txt").write_text(
        f"{taps} taps: a full check-in (5 symptoms, dose taken with its time, hours slept, "
        "sleep quality, save) for a new account\n"
    )
    assert taps is not None and taps <= 12


def full_check_in_by_hand(page, names: list[str], day: dt.date, dose: float) -> int:
    from ldn.web.journal.models import DoseLog

    page.goto("/journal/checkin/")
    page.set_viewport_size(PHONE)
    you = Taps()
    for name, value in zip(names, [5, 5, 4, 4, 3], strict=True):
        you.click(scale(page, name, value))
    you.click(page.locator("label.pill", has_text="Taken"))
    expect(page.get_by_label("Dose (mg)")).to_have_value(
        re.compile(rf"^({re.escape(f'{dose:g}')}|{re.escape(f'{dose:.1f}')})$")
    )
    you.fill(page.get_by_label("Taken at"), "22:05")
    you.fill(page.get_by_label("Hours slept"), "7")
    you.click(scale(page, "Sleep quality (0 = very poor, 10 = excellent)", 6))
    you.click(page.get_by_role("button", name="Save check-in"))
    page.get_by_text(f"Saved your check-in for {day:%A %-d %B}.").wait_for()
    assert DoseLog.objects.get(status="taken").taken_at.astimezone(BERLIN).time() == dt.time(22, 5)
    page.set_viewport_size(DESKTOP)
    return you.count
