"""The blinded trial stays blind: the patient, signed in or out, with every page and message
they can see, cannot read the allocation before the end; every look at the sheet is shown to
them; unblinding early is their explicit, recorded action."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from tests.conftest import make_patient

pytestmark = pytest.mark.django_db

ALLOCATION_WORDS = ("LDN 4.5 mg capsules", "Placebo capsules", "Allocation sheet")


def design():
    from ldn.analysis import TrialDesign

    return TrialDesign(start=dt.date(2026, 1, 5), pairs=5, period_days=7, washout_days=2)


def everything_the_patient_sees(client: Client, trial_pk: int) -> str:
    pages = [
        f"/insights/trial/{trial_pk}/",
        f"/insights/trial/{trial_pk}/unblind/",
        f"/insights/trial/{trial_pk}/result/",
        "/insights/",
        "/dashboard/",
        "/journal/export/",
    ]
    return "".join(client.get(url, follow=True).content.decode(errors="ignore") for url in pages)


def test_the_patient_has_no_way_to_the_allocation_before_the_end(world, mailoutbox):
    from ldn.web.insights import trial as trials

    t = trials.create_trial(world.alice, design(), None)
    patient = Client()
    patient.force_login(world.alice)
    patient.post(f"/insights/trial/{t.pk}/link/", {"email": "rx@pharmacy.example"})
    seen = everything_the_patient_sees(patient, t.pk)
    assert "/insights/trial/sheet/" not in seen
    for word in ALLOCATION_WORDS:
        assert word not in seen
    token = re.search(r"/insights/trial/sheet/([^/\s]+)/", mailoutbox[0].body).group(1)
    assert token not in seen
    # Even holding the pharmacist's link, the signed-in patient is refused.
    assert patient.get(f"/insights/trial/sheet/{token}/").status_code == 403


def test_a_sharing_clinician_issues_the_link_and_the_patient_never_gets_it(world):
    from ldn.web.insights import trial as trials

    t = trials.create_trial(world.alice, design(), None)
    bob = Client()
    bob.force_login(world.bob)
    issued = bob.post(f"/insights/trial/{t.pk}/link/").content.decode()
    link = re.search(r"(/insights/trial/sheet/[^/<\s]+/)", issued).group(1)
    signed_out = Client()
    assert "LDN 4.5 mg capsules" in signed_out.get(link).content.decode()  # the pharmacist
    patient = Client()
    patient.force_login(world.alice)
    assert link not in everything_the_patient_sees(patient, t.pk)
    assert "issued by bob" in patient.get(f"/insights/trial/{t.pk}/").content.decode()


def test_a_clinician_without_a_share_cannot_issue_a_link(world):
    from ldn.web.insights import trial as trials

    t = trials.create_trial(world.alice, design(), None)
    for who in (world.charlie, world.mallory):
        client = Client()
        client.force_login(who)
        assert client.post(f"/insights/trial/{t.pk}/link/").status_code == 404


def test_every_look_at_the_sheet_is_shown_to_the_patient(world):
    from ldn.web.insights import trial as trials
    from ldn.web.insights.models import SheetView

    t = trials.create_trial(world.alice, design(), None)
    token = trials.issue_link(t, "issued by bob")
    Client().get(f"/insights/trial/sheet/{token}/")
    Client().get(f"/insights/trial/sheet/{token}/")
    assert SheetView.objects.filter(trial=t).count() == 2
    patient = Client()
    patient.force_login(world.alice)
    page = patient.get(f"/insights/trial/{t.pk}/").content.decode()
    assert page.count("Viewed by the pharmacist link on") == 2


def test_signed_out_the_patient_sees_only_the_sign_in(world):
    from ldn.web.insights import trial as trials

    t = trials.create_trial(world.alice, design(), None)
    anonymous = Client()
    for url in (f"/insights/trial/{t.pk}/", f"/insights/trial/{t.pk}/result/"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert anonymous.post(f"/insights/trial/{t.pk}/link/").status_code == 302


def test_unblinding_early_is_explicit_recorded_and_stated(world):
    from ldn.web.insights import trial as trials

    start = dt.date.today() - dt.timedelta(days=10)
    from ldn.analysis import TrialDesign

    t = trials.create_trial(
        world.alice, TrialDesign(start=start, pairs=5, period_days=7, washout_days=2), None
    )
    patient = Client()
    patient.force_login(world.alice)
    assert patient.post(f"/insights/trial/{t.pk}/unblind/", {}).status_code == 200
    t.refresh_from_db()
    assert t.unblinded_at is None
    patient.post(f"/insights/trial/{t.pk}/unblind/", {"confirm": "on"})
    t.refresh_from_db()
    assert t.unblinded_at is not None and t.unblinded_early
    result = patient.get(f"/insights/trial/{t.pk}/result/").content.decode()
    assert "unblinded early on" in result


def test_an_unknown_patient_gets_nothing_from_the_link_view(world):
    patient = make_patient("zed")
    client = Client()
    client.force_login(patient)
    assert client.post("/insights/trial/999999/link/").status_code == 404
