"""Sign-up and the seven onboarding steps as a brand-new account goes through them, in Chromium.

Shared by the browser walks (the first 90 days, living with LDN): each passes what it ticks and
types, the plan step as a function (plans differ), and an optional `at_step(page, n)` called on
each step's page before it is submitted, for that walk's own checks and screenshots.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Newcomer:
    username: str
    password: str
    bedtime: str = "22:00"
    conditions: tuple[str, ...] = ()  # labels of the conditions we have read about
    other_conditions: str = ""
    symptoms: tuple[str, ...] = ()  # labels of suggested symptoms to tick
    own_symptoms: str = ""
    medications: tuple[str, ...] = field(default_factory=tuple)


def sign_up(page, who: Newcomer) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(who.username)
    page.get_by_label("Email").fill(f"{who.username}@example.org")
    page.get_by_label("Password", exact=True).fill(who.password)
    page.get_by_label("Password confirmation").fill(who.password)
    page.get_by_role("button", name="Create account").click()


def onboard(
    page,
    who: Newcomer,
    plan: Callable[[object], None],
    at_step: Callable[[object, int], None] = lambda page, n: None,
) -> None:
    """From the page after sign-up to "Set-up finished." on the dashboard. `plan(page)` fills
    step 6 and submits it (answering the first-dose notice if its plan starts soon)."""

    def step(n: int) -> None:
        page.get_by_text(f"Set-up, step {n} of 7").wait_for()

    step(1)
    at_step(page, 1)
    page.get_by_role("button", name="Save and continue").click()
    step(2)
    page.get_by_label("Bedtime dose at").fill(who.bedtime)
    at_step(page, 2)
    page.get_by_role("button", name="Save and continue").click()
    step(3)
    for name in who.conditions:
        page.get_by_label(name, exact=True).check()
    if who.other_conditions:
        page.get_by_label("Other conditions").fill(who.other_conditions)
    at_step(page, 3)
    page.get_by_role("button", name="Save and continue").click()
    step(4)
    for name in who.symptoms:
        page.get_by_label(name, exact=True).check()
    if who.own_symptoms:
        page.get_by_label("Your own symptoms").fill(who.own_symptoms)
    at_step(page, 4)
    page.get_by_role("button", name="Save and continue").click()
    step(5)
    for name in who.medications:
        page.get_by_label("Medication or product name").fill(name)
        page.get_by_role("button", name="Add and screen").click()
        page.get_by_text(f"Added {name} and screened").wait_for()
    at_step(page, 5)
    page.get_by_role("link", name="Done: next step").click()
    step(6)
    plan(page)
    step(7)
    at_step(page, 7)
    page.get_by_role("button", name="Save and finish").click()
    page.get_by_text("Set-up finished.").wait_for()
