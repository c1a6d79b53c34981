"""The whole clinician path in a browser: invite, accept with 2FA, flagged list, patient view,
plan adjustment seen by the patient, revoke, and the clinician's 404 straight after."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_accessible,
    fits_without_horizontal_scroll,
    log_in,
    screenshot,
)
from tests.conftest import PASSWORD, make_clinician, make_patient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(db):
    from django.utils import timezone

    from ldn.dosing import PlanStep, TitrationPlan
    from ldn.web.journal.models import QuestionnaireResponse
    from ldn.web.therapy import plans

    alice = make_patient("alice")
    today = timezone.localdate()
    plan = TitrationPlan(
        start=today - dt.timedelta(days=40), steps=(PlanStep(1.5, 0, 14), PlanStep(4.5, 14))
    )
    plans.save_version(alice, plan, author=alice, reason="Starting LDN")
    QuestionnaireResponse.objects.create(
        patient=alice, instrument="phq9", completed_on=today - dt.timedelta(days=1),
        answers={**{f"phq9_{i}": 1 for i in range(1, 9)}, "phq9_9": 1},
    )  # fmt: skip
    return alice, make_clinician("bob")


def totp_now(user) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_invite_accept_with_2fa_flag_adjust_revoke(browser, live_server, cast):
    alice, bob = cast
    patient_ctx = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    clinician_ctx = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    p, c = patient_ctx.new_page(), clinician_ctx.new_page()

    # 1. The patient invites a clinician.
    log_in(p, "alice", PASSWORD)
    p.goto("/clinic/sharing/")
    p.get_by_role("button", name="Create invitation code").click()
    code = p.get_by_test_id("invitation-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    assert_accessible(p)
    assert fits_without_horizontal_scroll(p)
    screenshot(p, "clinic-1-patient-invites")

    # 2. The clinician signs in and must set up two-factor sign-in first.
    log_in(c, "bob", PASSWORD)
    assert "/clinic/2fa/" in c.url
    expect(c.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    assert_accessible(c)
    screenshot(c, "clinic-2-clinician-2fa-setup")
    c.get_by_label("6-digit code from your authenticator app").fill(totp_now(bob))
    c.get_by_role("button", name="Turn on and continue").click()
    c.get_by_test_id("recovery-codes").wait_for()
    assert c.get_by_test_id("recovery-codes").locator("li").count() == 10
    c.get_by_role("link", name="I have saved them, continue").click()
    assert "/clinic/2fa/" not in c.url

    # 3. ...accepts the code and sees the patient in the list with a flag.
    c.goto("/clinic/accept/")
    c.get_by_label("Invitation code").fill(code)
    c.get_by_role("button", name="Accept invitation").click()
    c.goto("/clinic/patients/")
    row = c.locator("table.patients tbody tr", has_text="alice")
    assert "PHQ-9 item 9 above 0" in row.inner_text()
    assert_accessible(c)
    assert fits_without_horizontal_scroll(c)
    screenshot(c, "clinic-3-clinician-list-with-flag")

    # 4. ...opens the patient.
    row.get_by_role("link", name="alice").click()
    expect(c.get_by_role("heading", name="alice")).to_be_visible()
    assert_accessible(c)
    screenshot(c, "clinic-4-clinician-patient-view")

    # 5. ...adjusts the plan.
    c.get_by_role("link", name="Adjust the plan").click()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    c.get_by_label("New dose (mg)").fill("3")
    c.get_by_label("From (first evening at the new dose)").fill(tomorrow)
    c.get_by_label("Reason (the patient sees it)").fill("Vivid dreams at 4.5 mg; 3 mg for now")
    c.get_by_role("button", name="Save new plan version").click()
    assert "Plan version 2 saved" in c.content()
    screenshot(c, "clinic-5-clinician-adjusted-plan")

    # 6. The patient sees the new plan and who changed it.
    p.goto("/therapy/plan/")
    text = p.content()
    assert "Vivid dreams at 4.5 mg; 3 mg for now" in text and "bob" in text
    screenshot(p, "clinic-6-patient-sees-new-plan")

    # 7. The patient revokes...
    p.goto("/clinic/sharing/")
    p.get_by_role("button", name="Stop sharing with bob").click()
    assert "Sharing with bob has ended" in p.content()
    screenshot(p, "clinic-7-patient-revoked")

    # 8. ...and the clinician is told so at once (still a 404: nothing of the record is shown).
    response = c.goto(c.url.split("/plan")[0] if "/plan" in c.url else c.url)
    assert response.status == 404
    expect(c.get_by_role("heading", name="This patient stopped sharing with you")).to_be_visible()
    assert_accessible(c)
    screenshot(c, "clinic-8-clinician-revoked-page")
    c.get_by_role("link", name="Back to your patients").click()
    assert "alice" not in c.locator("main").inner_text()
    patient_ctx.close()
    clinician_ctx.close()


@pytest.fixture
def flagged_patients(db):
    """Three patients with different flags, made with the same services the UI calls."""
    from django.utils import timezone

    from ldn.dosing import PlanStep, TitrationPlan
    from ldn.web.journal.models import DoseLog, QuestionnaireResponse
    from ldn.web.therapy import plans, screening
    from ldn.web.therapy.models import Screening

    today = timezone.localdate()
    missed = make_patient("mia.missed")
    plans.save_version(
        missed, TitrationPlan(start=today - dt.timedelta(days=40), steps=(PlanStep(4.5, 0),)),
        author=missed, reason="Maintenance",
    )  # fmt: skip
    for i in range(1, 12):
        DoseLog.objects.create(patient=missed, day=today - dt.timedelta(days=i), status="missed")
    opioid = make_patient("otto.opioid")
    opioid.medications.create(name="oxycodone")
    screening.run(opioid, Screening.Trigger.MEDICATION_ADDED)
    risk = make_patient("rita.item9")
    QuestionnaireResponse.objects.create(
        patient=risk, instrument="phq9", completed_on=today,
        answers={**{f"phq9_{i}": 1 for i in range(1, 9)}, "phq9_9": 2},
    )  # fmt: skip
    return [missed, opioid, risk]


def test_a_new_clinician_and_a_new_patient_from_scratch(browser, live_server, flagged_patients):
    """Clinician from `ldn clinician create` (one-time password, new password, 2FA, recovery
    codes); patient from the sign-up page who takes tramadol and reports a new headache; the
    patient view right after accepting; the list in severity order; the report's first page."""
    from typer.testing import CliRunner

    from ldn.cli import app
    from ldn.web.accounts.models import User
    from ldn.web.clinic import sharing

    out = (
        CliRunner()
        .invoke(app, ["clinician", "create", "--email", "dr.kim@example.org", "--name", "Dr Kim"])
        .output
    )
    one_time = out.split("password: ")[1].split()[0]
    kim_ctx = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    pat_ctx = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    c, p = kim_ctx.new_page(), pat_ctx.new_page()

    # The clinician's first sign-in: a new password first, then 2FA and recovery codes.
    log_in(c, "dr.kim@example.org", one_time)
    c.goto("/clinic/patients/")
    expect(c.get_by_role("heading", name="Change your password")).to_be_visible()
    new_password = "kim chooses a long passphrase 2026"
    c.get_by_label("Old password").fill(one_time)
    c.get_by_label("New password", exact=True).fill(new_password)
    c.get_by_label("New password confirmation").fill(new_password)
    c.get_by_role("button", name="Change password").click()
    c.goto("/clinic/patients/")
    expect(c.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    kim = User.objects.get(username="dr.kim@example.org")
    c.get_by_label("6-digit code from your authenticator app").fill(totp_now(kim))
    c.get_by_role("button", name="Turn on and continue").click()
    c.get_by_test_id("recovery-codes").wait_for()
    assert c.get_by_test_id("recovery-codes").locator("li").count() == 10
    screenshot(c, "clinic-9-recovery-codes")
    c.get_by_role("link", name="I have saved them, continue").click()

    # The patient signs up, fills the profile, adds tramadol, checks in with a headache.
    p.goto("/accounts/signup/")
    p.get_by_label("Username").fill("nora")
    p.get_by_label("Email").fill("nora@example.org")
    p.get_by_label("Password", exact=True).fill(PASSWORD)
    p.get_by_label("Password confirmation").fill(PASSWORD)
    p.get_by_role("button", name="Create account").click()
    p.get_by_text("Set-up, step 1 of 7").wait_for()  # onboarding; the profile page instead
    p.goto("/accounts/profile/")
    p.get_by_label("Date of birth").fill("1984-03-09")
    p.get_by_label("Sex").select_option("female")
    p.get_by_label("Conditions").fill("fibromyalgia")
    p.get_by_role("button", name="Save profile").click()
    p.goto("/therapy/medications/")
    p.get_by_label("Medication or product name").fill("tramadol")
    p.get_by_role("button", name="Add and screen").click()
    p.goto("/journal/checkin/")
    p.locator("label.pill", has_text="Headache").click()
    p.get_by_role("button", name="Save check-in").click()
    p.goto("/clinic/sharing/")
    p.get_by_role("button", name="Create invitation code").click()
    code = p.get_by_test_id("invitation-code").inner_text()
    for other in flagged_patients:  # three more patients share with Dr Kim
        sharing.accept(
            sharing.create_invitation(
                other, ["journal", "plan", "medications", "questionnaires", "analysis"]
            )[1],
            kim,
        )

    # Right after accepting: the contraindication in red at the top, and the flags.
    c.goto("/clinic/accept/")
    c.get_by_label("Invitation code").fill(code)
    c.get_by_role("button", name="Accept invitation").click()
    alert = c.get_by_role("alert").filter(has_text="Contraindicated with LDN")
    assert alert.is_visible() and "tramadol" in alert.inner_text()
    colour = alert.evaluate("e => getComputedStyle(e).borderTopColor")
    assert colour != "rgb(0, 0, 0)"
    flags_text = c.locator("#att-h + ul").inner_text()
    assert "Unresolved contraindication" in flags_text and "New side effect: headache" in flags_text
    assert "Nothing flagged" not in c.locator("main").inner_text()
    assert_accessible(c)
    screenshot(c, "clinic-10-opioid-patient-right-after-accepting")

    # The list: worst flag first, chips in words, labels kept on a phone.
    c.goto("/clinic/patients/")
    names = c.locator("table.patients tbody th a").all_inner_texts()
    assert names[0] == "rita.item9"
    assert set(names[1:3]) == {"nora", "otto.opioid"} and names[3] == "mia.missed"
    assert "_" not in c.locator("table.patients tbody").inner_text()
    c.set_viewport_size({"width": 375, "height": 812})
    first_cell = c.locator("table.patients tbody tr").first.locator("td").first
    label = first_cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"Needs attention: "'
    assert fits_without_horizontal_scroll(c)
    c.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(c)
    screenshot(c, "clinic-11-list-severity-order")

    # The report: identifiers, contraindication first, the summary.
    nora = User.objects.get(username="nora")
    c.goto(f"/clinic/patients/{nora.pk}/report/")
    head = c.locator(".r-ident").inner_text()
    assert "nora" in head and "born 9 Mar 1984" in head and "fibromyalgia" in head
    expect(c.locator(".r-contra")).to_be_visible()
    assert_accessible(c)
    screenshot(c, "clinic-12-report-first-page")
    kim_ctx.close()
    pat_ctx.close()
