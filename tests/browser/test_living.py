"""A brand-new account, in Chromium, from sign-up through every onboarding step, then a dose step
with its tolerance window, the thyroid co-watch and its labs reminder, a bedtime-or-morning
experiment from set-up to result, and a planned procedure with the prescriber's instruction.

Time: the live server runs in this process, so the test moves Django's clock
(`django.utils.timezone.now`, which ldn.web.accounts.clock reads) one day at a time and checks in
through the UI each day, as a person would over seven weeks.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    fits_without_horizontal_scroll,
    screenshot,
)
from tests.browser.onboarding import Newcomer, onboard, sign_up
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def day(self, n: int) -> dt.date:
        self.now = self.base + dt.timedelta(days=n)
        return self.now.date()


@pytest.fixture
def clock(monkeypatch, settings):
    from django.utils import timezone

    settings.SESSION_COOKIE_AGE = 400 * 24 * 3600  # the session outlives the simulated weeks
    real = dt.datetime.now(dt.UTC)
    c = Clock(dt.datetime.combine(real.date(), dt.time(12, 0), tzinfo=dt.UTC))
    c.base = c.now  # type: ignore[attr-defined]
    monkeypatch.setattr(timezone, "now", c)
    return c


def scale(page, legend: str, value: int):
    group = page.locator("fieldset.scale-field", has=page.locator("legend", has_text=legend))
    return group.locator("label.pill").filter(has=page.locator(f"input[value='{value}']"))


def check(page, name: str) -> None:
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert fits_without_horizontal_scroll(page), name
    screenshot(page, name)


def extra_check_in(page, day: dt.date, answers: dict[str, int]) -> None:
    page.goto(f"/journal/checkin/{day.isoformat()}/")
    for legend, value in answers.items():
        scale(page, legend, value).click()
    page.get_by_role("button", name="Save the extra questions").click()
    page.get_by_text("Saved the extra questions for").wait_for()


def test_a_new_account_walks_a_dose_step_the_thyroid_watch_and_a_timing_experiment(page, clock):
    from ldn.web.living.models import LivingDay, TimingExperiment

    # Day 0: sign up and go through every onboarding step as a brand-new account: Hashimoto's,
    # levothyroxine, and the plan: 1.5 mg for a week from today, then 3 mg.
    t0 = clock.day(0)
    who = Newcomer(
        "newpat", PASSWORD, conditions=("Hashimoto's thyroiditis",),
        medications=("Levothyroxine 75 mcg",),
    )  # fmt: skip

    def plan(page) -> None:
        page.get_by_label("My own steps (enter them below)").check()
        page.get_by_label("Dose (mg), row 1").fill("1.5")
        page.get_by_label("From, row 1").fill(t0.isoformat())
        page.get_by_label("For how many days, row 1").fill("7")
        page.get_by_label("Dose (mg), row 2").fill("3")
        page.get_by_label("From, row 2").fill((t0 + dt.timedelta(days=7)).isoformat())
        page.get_by_label("Why (kept in the plan's history)").fill("Prescribed by Dr Rowe")
        page.get_by_role("button", name="Save the plan").click()
        # A first dose today leaves no run-in for the insights: the step says so; keep today.
        page.get_by_role("heading", name="Your first dose is less than 14 days away").wait_for()
        page.get_by_role("button", name=re.compile(r"^Keep\b")).click()

    sign_up(page, who)
    onboard(page, who, plan)

    # The start opens a window and the thyroid watch: the check-in asks the extra set.
    page.goto("/journal/checkin/")
    extra = page.locator("section.living-extra")
    assert "day 1 after start of ldn at 1.5 mg" in extra.inner_text().lower()
    expect(extra.get_by_text("Racing heart at night")).to_be_visible()

    # Days 7-20: the step up to 3 mg. Insomnia for 3 days, then quiet.
    for n in range(7, 21):
        day = clock.day(n)
        flare = n < 10
        extra_check_in(
            page, day, {"Trouble sleeping": 6 if flare else 1, "Palpitations": 2 if flare else 0}
        )
        if n == 9:
            page.goto("/dashboard/")
            assert page.locator(".course-strip li.flare").count() == 3
            check(page, "living-dashboard-window")
    assert LivingDay.objects.filter(scores__has_key="insomnia").count() == 14

    clock.day(21)
    page.goto("/living/")
    expect(
        page.get_by_text("A flare that settled in 3 days (3 of 14 recorded days).")
    ).to_be_visible()
    expect(page.get_by_text("go on with the plan").first).to_be_visible()
    check(page, "living-tolerance-summary")

    # Thyroid: log a TSH result; the printable note lists it.
    page.goto("/living/thyroid/")
    expect(page.get_by_text("Palpitations, a fast heartbeat, heat intolerance")).to_be_visible()
    page.get_by_label("What").select_option("tsh")
    page.get_by_label("Value").fill("1.9")
    page.get_by_label("Unit (as on the lab report or label)").select_option("mU/L")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Saved.").wait_for()
    expect(page.get_by_role("cell", name="1.90 mU/L")).to_be_visible()
    check(page, "living-thyroid")
    page.goto("/living/thyroid/note/")
    expect(page.get_by_text("TSH 1.90 mU/L")).to_be_visible()
    check(page, "living-thyroid-note")

    # Timing experiment: the agreement is required, then 2 blocks of 10 days at each time.
    page.goto("/living/timing/")
    page.get_by_label("First day of the experiment").fill((t0 + dt.timedelta(days=22)).isoformat())
    page.get_by_label("Days in each block").select_option("10")
    page.get_by_label("Prescriber who agreed").fill("Dr Rowe")
    page.get_by_role("button", name="Draw the order and start").click()
    expect(page.get_by_text("Tick the box once your prescriber has agreed")).to_be_visible()
    page.get_by_label("My prescriber agreed").check()
    page.get_by_role("button", name="Draw the order and start").click()
    page.get_by_text("The order of the blocks is drawn").wait_for()
    check(page, "living-timing-schedule")
    experiment = TimingExperiment.objects.get()
    assert experiment.prescriber == "Dr Rowe"

    for n in range(22, 62):
        day = clock.day(n)
        page.goto(f"/journal/checkin/{day.isoformat()}/")
        morning = "morning block" in page.locator("section.living-extra").inner_text()
        wobble = 1 if n == 25 else 0  # one day off, so the two pairs differ a little
        scale(page, "Sleep quality", 6 if n % 3 else 5).click()  # the check-in's own scale
        page.get_by_role("button", name="Save check-in").click()
        page.get_by_text("Saved your check-in for").wait_for()
        extra_check_in(
            page,
            day,
            {
                "Vivid dreams": (2 if morning else 7) + wobble,
                "Grogginess this morning": 3 if n % 2 else 2,
                "Daytime energy": 5,
            },
        )
        if n == 23:
            page.goto("/dashboard/")
            expect(page.get_by_text("Timing experiment: today take LDN in the")).to_be_visible()

    clock.day(62)
    page.goto("/living/timing/")
    result = page.locator("section.result")
    text = result.inner_text()
    # 5 points, +-1/16 from the one-day wobble (in a morning or a bedtime block, by the draw)
    assert re.search(
        r"Vivid dreams: better with the morning dose by about (4\.9|5\.1) points", text
    )
    assert "Daytime energy: no clear difference" in text
    assert "Sleep quality: no clear difference" in text
    assert "Timing is not known to change LDN's overall effect" in text
    # The N-of-1 pair-by-pair check under each outcome, and the calibration in plain words.
    assert re.search(
        r"Pair by pair \(the N-of-1 check\): \+(4\.9|5\.0|5\.1), \+(4\.9|5\.0|5\.1);", text
    )
    assert "this rule claimed a difference in 1.5% to 4.4% of experiments" in text
    check(page, "living-timing-result")

    # The thyroid labs reminder: in the calendar feed (on by default) and by e-mail if chosen.
    page.goto("/therapy/reminders/")
    page.get_by_label(
        "E-mail me when it is time to discuss my thyroid tests (every 75 days)"
    ).check()
    page.get_by_role("button", name="Save e-mail choices").click()
    page.get_by_text("E-mail reminder choices saved.").wait_for()
    assert page.get_by_label(
        "Show the thyroid-tests reminder (every 75 days) in my calendar feed"
    ).is_checked()
    check(page, "living-thyroid-reminders")

    # Surgery: the one entry on the plan page leads to the prescriber's instruction, which pauses
    # the plan (and with it the dose reminders and the calendar feed).
    surgery = t0 + dt.timedelta(days=75)
    page.goto("/therapy/plan/")
    page.get_by_role("link", name="Enter the prescriber's instruction").click()
    page.get_by_label("Procedure", exact=True).fill("Knee arthroscopy")
    page.get_by_label("Date of the procedure").fill(surgery.isoformat())
    page.get_by_label("Who gave the instruction").fill("Dr Rowe (prescriber)")
    page.get_by_label("The instruction, in their words").fill(
        "Stop LDN three days before. Restart once you no longer need opioid painkillers."
    )
    page.get_by_label("Last LDN dose before the procedure").fill(
        (surgery + dt.timedelta(days=2)).isoformat()
    )
    page.get_by_role("button", name="Save the instruction as given").click()
    error = page.locator(".field-error")
    assert (
        error.inner_text()
        == f"The last dose must be before the procedure on {surgery.isoformat()}."
    )
    page.get_by_label("Last LDN dose before the procedure").fill(
        (surgery - dt.timedelta(days=4)).isoformat()
    )
    page.get_by_role("button", name="Save the instruction as given").click()
    page.get_by_text("Saved the instruction as given; plan version 2 pauses").wait_for()
    expect(page.get_by_text("Stop LDN three days before.")).to_be_visible()
    expect(page.get_by_text("opioid-free for a minimum of 7 to 10 days").first).to_be_visible()
    check(page, "living-surgery")
    page.goto("/therapy/plan/")
    card = page.locator("section.notice", has_text="Knee arthroscopy")
    assert card.count() == 1
    assert "restart not decided yet" in card.inner_text()
    assert page.get_by_role("heading", name="Surgery or procedure coming up?").count() == 0
    assert page.get_by_role("heading", name="Resume").is_visible()  # the pause is open
    check(page, "living-plan-surgery")


def test_the_clinician_decides_the_next_step_and_it_becomes_a_plan_version(browser, live_server):
    from django.utils import timezone

    from ldn.dosing.plan import PlanStep, TitrationPlan
    from ldn.web.clinic import sharing
    from ldn.web.living import services
    from ldn.web.therapy import plans
    from tests.browser.test_clinic import totp_now
    from tests.conftest import make_clinician, make_patient

    alice, bob = make_patient("alice"), make_clinician("bob")
    step_day = timezone.localdate() - dt.timedelta(days=15)
    plan = TitrationPlan(
        step_day - dt.timedelta(days=14), (PlanStep(1.5, 0, 14), PlanStep(3.0, 14))
    )
    plans.save_version(alice, plan, author=alice, reason="Prescribed by Dr Rowe")
    for i in range(14):
        services.save_day(alice, step_day + dt.timedelta(days=i), {"insomnia": 7, "headache": 5})
    _, code = sharing.create_invitation(alice, ["journal", "plan"])

    c = browser.new_context(base_url=live_server.url, viewport=PHONE).new_page()
    c.goto("/accounts/login/")
    c.get_by_label("Username").fill("bob")
    c.get_by_label("Password").fill(PASSWORD)
    c.get_by_role("button", name="Log in").click()
    c.get_by_label("6-digit code from your authenticator app").fill(totp_now(bob))
    with c.expect_navigation():  # signed in only once the 2FA answer has come back
        c.get_by_role("button", name="Turn on and continue").click()
    c.goto("/clinic/accept/")
    c.get_by_label("Invitation code").fill(code)
    c.get_by_role("button", name="Accept invitation").click()
    c.goto(f"/clinic/patients/{alice.pk}/")
    c.get_by_role("link", name="Last dose step").click()
    c.get_by_text(
        "Not settling: 14 of 14 recorded days had a flare"
    ).wait_for()  # after the click's navigation
    check(c, "living-clinician-step")
    c.get_by_label("Step back to the previous dose").check()
    c.get_by_label("Reason (shown in the plan history)").fill("Insomnia every night at 3 mg")
    c.get_by_role("button", name="Save the decision").click()
    c.get_by_text("Decision saved as plan version 2.").wait_for()
    check(c, "living-clinician-decided")

    p = browser.new_context(base_url=live_server.url, viewport=PHONE).new_page()
    p.goto("/accounts/login/")
    p.get_by_label("Username").fill("alice")
    p.get_by_label("Password").fill(PASSWORD)
    p.get_by_role("button", name="Log in").click()
    p.goto("/therapy/plan/")
    assert "Insomnia every night at 3 mg" in p.content()
    p.goto("/living/")
    expect(p.get_by_text("Decided by bob")).to_be_visible()
    check(p, "living-patient-sees-decision")


def test_the_plan_shows_volumes_from_the_new_bottle_and_the_clinician_enters_a_surgery_instruction(
    browser, live_server
):
    from django.utils import timezone

    from ldn.dosing.plan import PlanStep, TitrationPlan
    from ldn.web.clinic import sharing
    from ldn.web.living.models import PlannedProcedure
    from ldn.web.therapy import plans
    from tests.browser.test_clinic import totp_now
    from tests.conftest import make_clinician, make_patient

    alice, bob = make_patient("alice"), make_clinician("bob")
    start = timezone.localdate() - dt.timedelta(days=10)
    plan = TitrationPlan(start, (PlanStep(1.5, 0, 7), PlanStep(3.0, 7, 14), PlanStep(4.5, 14)))
    plans.save_version(alice, plan, author=alice, reason="Prescribed by Dr Rowe")
    _, code = sharing.create_invitation(alice, ["journal", "plan"])

    p = browser.new_context(base_url=live_server.url, viewport=PHONE).new_page()
    p.goto("/accounts/login/")
    p.get_by_label("Username").fill("alice")
    p.get_by_label("Password").fill(PASSWORD)
    p.get_by_role("button", name="Log in").click()
    p.goto("/living/liquid/")
    p.get_by_label("Strength on the label (mg per ml)").fill("5")
    p.get_by_label("Volume in the bottle (ml)").fill("30")
    p.get_by_role("button", name="Save the new bottle").click()
    p.get_by_text("New bottle saved").wait_for()
    p.goto("/therapy/plan/")
    cells = p.locator("table.compact").first.locator("tbody td:nth-child(4)").all_inner_texts()
    assert cells == ["0.3 ml", "0.6 ml", "0.9 ml"]
    check(p, "living-plan-volumes")

    c = browser.new_context(base_url=live_server.url, viewport=PHONE).new_page()
    c.goto("/accounts/login/")
    c.get_by_label("Username").fill("bob")
    c.get_by_label("Password").fill(PASSWORD)
    c.get_by_role("button", name="Log in").click()
    c.get_by_label("6-digit code from your authenticator app").fill(totp_now(bob))
    with c.expect_navigation():  # signed in only once the 2FA answer has come back
        c.get_by_role("button", name="Turn on and continue").click()
    c.goto("/clinic/accept/")
    c.get_by_label("Invitation code").fill(code)
    c.get_by_role("button", name="Accept invitation").click()
    c.goto(f"/clinic/patients/{alice.pk}/")
    c.get_by_role("link", name="Surgery or procedure: the prescriber's instruction").click()
    c.get_by_label("Procedure", exact=True).fill("Hip replacement")
    c.get_by_label("Date of the procedure").fill("2030-05-12")
    c.get_by_label("Who gave the instruction").fill("Dr Rowe (prescriber)")
    c.get_by_label("The instruction, in their words").fill(
        "Last LDN dose on 9 May; restart on 19 May."
    )
    c.get_by_label("Last LDN dose before the procedure").fill("2030-05-09")
    c.get_by_label("Restart LDN on").fill("2030-05-19")
    c.get_by_role("button", name="Save the instruction as given").click()
    assert c.get_by_text(
        "Saved the instruction as given; the patient sees it with your name."
    ).is_visible()
    assert PlannedProcedure.objects.get().entered_by == bob
    check(c, "living-clinician-surgery")
    c.goto(f"/clinic/patients/{alice.pk}/")
    line = (
        "Hip replacement on 12 May 2030: last dose 9 May, restart 19 May; instruction from "
        "Dr Rowe (prescriber), confirmed."
    )
    assert c.get_by_text(line).count() == 1  # the clinic view shows the procedure once
    check(c, "living-clinic-patient-procedure")

    p.goto("/living/surgery/")
    expect(p.get_by_text("Entered by bob (clinician) on")).to_be_visible()
    assert p.get_by_text(
        "Plan version 2 pauses the doses and dose reminders in between."
    ).is_visible()
    check(p, "living-patient-sees-clinician-surgery")
