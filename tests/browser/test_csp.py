"""Every page under the Content-Security-Policy in Chromium: no violation, for an anonymous
visitor, a new patient with data, and a clinician with a share.

Each identity crawls the same-origin links it can reach (GET only) from its start pages; a
violation is caught both from the console ("Content Security Policy") and from the
`securitypolicyviolation` event collected into window.__csp before any page script runs.
"""

from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PHONE, screenshot
from tests.conftest import PASSWORD, make_clinician, make_patient

pytestmark = pytest.mark.django_db(transaction=True)

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                    " at " + e.sourceFile + ":" + e.lineNumber);
});
"""
# Links that are downloads or sign-outs, not pages.
SKIP = ("/logout", ".pdf", ".ics", "/export", "/download", "/feed/", "/csp-report/")
MAX_PAGES = 120


def _context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_init_script(COLLECT)
    return context


def crawl(page, starts: list[str], violations: list[str]) -> list[str]:
    """Visit the start pages and every same-origin link reachable from them; returns the paths."""
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    seen: list[str] = []
    queue = list(starts)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or any(s in path for s in SKIP):
            continue
        seen.append(path)
        try:
            response = page.goto(path)
        except Exception as exc:  # a download ("Download is starting") is not a page
            if "Download" in str(exc):
                continue
            raise
        if response is None or "html" not in (response.headers.get("content-type") or ""):
            continue
        page.wait_for_load_state("load")
        for text in page.evaluate("window.__csp || []"):
            violations.append(f"{path}: {text}")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if parts.netloc == urlsplit(page.url).netloc:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    violations.extend(f"console: {text}" for text in console)
    return seen


def seed_patient():
    from django.utils import timezone

    from ldn.dosing.plan import PlanStep, TitrationPlan
    from ldn.web.insights import trial as trials
    from ldn.web.journal.models import DailyEntry, DoseLog, Symptom, SymptomRating
    from ldn.web.living import services
    from ldn.web.therapy import plans
    from tests.web.test_insights_trial import design

    alice = make_patient("alice")
    today = timezone.localdate()
    start = today - dt.timedelta(days=60)
    plan = TitrationPlan(start + dt.timedelta(days=14), (PlanStep(1.5, 0, 14), PlanStep(3.0, 14)))
    plans.save_version(alice, plan, author=alice, reason="Prescribed by Dr Rowe")
    pain = Symptom.objects.create(patient=alice, key="pain", name="Pain")
    for i in range(58):
        day = start + dt.timedelta(days=i)
        services.save_day(alice, day, {"headache": (i * 7) % 11})
        dreams = ["vivid_dreams"] if i % 3 == 0 else []
        entry = DailyEntry.objects.create(patient=alice, day=day, side_effects=dreams)
        SymptomRating.objects.create(entry=entry, symptom=pain, score=(i * 7) % 11)
        if i >= 14:  # two weeks of baseline before the first dose
            DoseLog.objects.create(patient=alice, day=day, status="taken", amount_mg=1.5)
    trial = trials.create_trial(alice, design(start=today + dt.timedelta(days=3)), None)
    return alice, trials.issue_link(trial, "issued by a test")


def test_no_page_violates_the_content_security_policy(browser, live_server):
    from ldn.web.clinic import sharing
    from tests.browser.test_clinic import totp_now

    alice, token = seed_patient()
    bob = make_clinician("bob")
    _, code = sharing.create_invitation(alice, ["journal", "plan"])
    violations: list[str] = []

    anon = _context(browser, live_server)
    public = crawl(
        anon.new_page(),
        ["/", "/learn/", "/how-ldn-works/", "/accounts/login/", "/accounts/signup/",
         f"/insights/trial/sheet/{token}/"],
        violations,
    )  # fmt: skip
    anon.close()

    patient = _context(browser, live_server)
    p = patient.new_page()
    p.goto("/accounts/login/")
    p.get_by_label("Username").fill("alice")
    p.get_by_label("Password").fill(PASSWORD)
    p.get_by_role("button", name="Log in").click()
    mine = crawl(
        p, ["/dashboard/", "/journal/history/", "/insights/", "/therapy/reminders/"], violations
    )
    if os.environ.get("LDN_CSP_SCREENSHOTS"):  # before/after pictures of the changed pages
        tag = os.environ["LDN_CSP_SCREENSHOTS"]
        for name, path in (
            ("history", "/journal/history/"), ("insights", "/insights/"),
            ("science", "/how-ldn-works/"), ("reminders", "/therapy/reminders/"),
            ("report", "/clinic/report/"), ("trial-sheet", f"/insights/trial/sheet/{token}/"),
        ):  # fmt: skip
            p.goto(path)
            screenshot(p, f"csp-{tag}-{name}")
    patient.close()

    clinic = _context(browser, live_server)
    c = clinic.new_page()
    c.set_viewport_size(PHONE)
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
    theirs = crawl(c, ["/clinic/", f"/clinic/patients/{alice.pk}/"], violations)
    clinic.close()

    assert sorted(set(violations)) == []
    assert len(public) >= 5 and len(mine) >= 15 and len(theirs) >= 5
