"""Every page a patient and a clinician reach, in both colour schemes: axe's contrast check.

The walk follows the links of each page (GET only, as a visitor clicks them) from the home page:
a brand-new patient with one symptom, one medication and one check-in; the demo patient, whose
months of data draw every chart; and a clinician the demo patient shares with. Each page of a new
shape (digits in the address stand for any record) is checked in the light and the dark scheme.
Downloads (PDF, JSON, calendar) and sign-out are not pages and are skipped.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urldefrag, urlparse

import pytest

from tests.browser.conftest import PHONE, SCREENSHOTS, axe_violations
from tests.browser.onboarding import Newcomer, sign_up
from tests.conftest import PASSWORD, make_clinician

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SKIP = re.compile(r"logout|\.pdf$|\.json$|\.ics$|\.csv$|/export|/feed|/admin|download|fhir")
MAX_PAGES = 80
REPORT = SCREENSHOTS.parent / "colour-schemes.json"


def _report(who: str, visited: list[str], problems: dict[str, list[str]]) -> str:
    """Keep the walk's findings beside the screenshots; the assertion's message names them."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    kept = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    kept[who] = {"pages": visited, "problems": problems}
    REPORT.write_text(json.dumps(kept, indent=2))
    return "\n".join(f"{page}: {found[0]}" for page, found in problems.items())


def _contrast(page) -> list[str]:
    found = axe_violations(page, rules=["color-contrast"])
    return [f"{n['target']}: {n['failureSummary'][:160]}" for v in found for n in v["nodes"]]


def _both(page) -> dict[str, list[str]]:
    out = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        found = _contrast(page)
        if found:
            out[scheme] = found
    return out


def walk(page, base: str, start: str = "/") -> tuple[list[str], dict[str, list[str]]]:
    """Pages visited, and the contrast findings per page and scheme."""
    seen_shapes: set[str] = set()
    queue, visited, problems = [start], [], {}
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path)
        if shape in seen_shapes or SKIP.search(path):
            continue
        seen_shapes.add(shape)
        answer = page.request.get(path)
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        page.goto(path)
        page.wait_for_load_state("load")
        visited.append(path)
        problems.update({f"{path} ({k})": v for k, v in _both(page).items()})
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            url = urlparse(urldefrag(href)[0])
            if f"{url.scheme}://{url.netloc}" != base:
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return visited, problems


def test_a_new_patient_s_pages_pass_contrast_in_both_schemes(browser, live_server):
    from tests.browser.test_pwa import add_medication

    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    sign_up(page, Newcomer("schemes", PASSWORD))
    add_medication(page, "Tramadol 50 mg")  # the safety banner on every page
    page.goto("/journal/symptoms/")
    page.get_by_label("Symptom name").fill("Pain")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_label("New name for Pain").wait_for()
    page.goto("/journal/checkin/")
    page.locator("label.pill").first.click()
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_load_state("load")
    visited, problems = walk(page, live_server.url)
    context.close()
    assert len(visited) >= 20, visited
    findings = _report("new patient", visited, problems)
    assert problems == {}, findings


def test_the_demo_patient_and_a_clinician_pass_contrast_in_both_schemes(browser, live_server):
    from django.utils import timezone

    from ldn.web.accounts.models import Share
    from ldn.web.journal.demo import create_demo_patient
    from tests.browser.conftest import log_in
    from tests.browser.test_clinic import totp_now

    user, password = create_demo_patient(timezone.now().date())
    clinician = make_clinician("dr-schemes")
    Share.objects.create(patient=user, clinician=clinician, areas=Share.all_areas())

    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    log_in(page, user.username, password)
    page.wait_for_load_state("load")
    visited, problems = walk(page, live_server.url)
    context.close()
    assert len(visited) >= 20, visited

    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    log_in(page, clinician.username, PASSWORD)
    page.wait_for_url("**/clinic/2fa/**")  # a clinician's first sign-in sets up two-factor
    problems.update({f"clinician /clinic/2fa/ ({k})": v for k, v in _both(page).items()})
    page.get_by_label("6-digit code from your authenticator app").fill(totp_now(clinician))
    page.get_by_role("button", name="Turn on and continue").click()
    page.get_by_test_id("recovery-codes").wait_for()
    problems.update({f"clinician recovery codes ({k})": v for k, v in _both(page).items()})
    seen, found = walk(page, live_server.url, "/clinic/patients/")
    context.close()
    assert any(re.fullmatch(r"/clinic/patients/\d+/", p) for p in seen), seen
    problems.update({f"clinician {k}": v for k, v in found.items()})
    findings = _report("demo patient and clinician", visited + seen, problems)
    assert problems == {}, findings
