"""The whole clinician path in a browser: invite, accept with 2FA, flagged list, patient view,
plan adjustment seen by the patient, revoke, and the clinician's 404 straight after."""

from __future__ import annotations

import datetime as dt
import re

import pytest

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
    assert c.get_by_role("heading", name="Set up two-factor sign-in").is_visible()
    assert_accessible(c)
    screenshot(c, "clinic-2-clinician-2fa-setup")
    c.get_by_label("6-digit code from your authenticator app").fill(totp_now(bob))
    c.get_by_role("button", name="Turn on and continue").click()
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
    assert c.get_by_role("heading", name="alice").is_visible()
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

    # 8. ...and the clinician gets 404 at once.
    response = c.goto(c.url.split("/plan")[0] if "/plan" in c.url else c.url)
    assert response.status == 404
    screenshot(c, "clinic-8-clinician-404-after-revoke")
    c.goto("/clinic/patients/")
    assert "alice" not in c.locator("main").inner_text()
    patient_ctx.close()
    clinician_ctx.close()
