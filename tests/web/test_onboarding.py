"""Set-up after sign-up: one step per screen, skippable, resumable, reusing each page's code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import PatientProfile, User
from ldn.web.accounts.zones import zone_choices
from ldn.web.journal.models import Medication, Symptom
from ldn.web.therapy.models import PlanVersion

pytestmark = pytest.mark.django_db


def step(name: str) -> str:
    return reverse("onboarding_step", args=[name])


@pytest.fixture
def newcomer(client):
    client.post(
        reverse("signup"),
        {"username": "newcomer", "email": "n@example.org",
         "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"},
    )  # fmt: skip
    return User.objects.get(username="newcomer")


def profile(user):
    return PatientProfile.objects.get(user=user)


def test_sign_up_leads_to_the_first_step(client):
    response = client.post(
        reverse("signup"),
        {"username": "newcomer", "email": "n@example.org",
         "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1][0] == step("zone")
    assert "Set-up, step 1 of 7" in response.content.decode()


def test_the_zone_list_holds_real_zones_only():
    zones = dict(zone_choices())
    assert "Europe/Berlin" in zones and "America/Argentina/Buenos_Aires" in zones
    assert not {"Factory", "GB-Eire", "US/Pacific", "Etc/GMT+5"} & set(zones)
    assert zones["Europe/Berlin"].startswith("Europe/Berlin · Germany")


def test_an_alias_zone_is_refused_at_the_field(client, newcomer):
    page = client.post(step("zone"), {"time_zone": "GB-Eire"}).content.decode()
    assert "Select a valid choice. GB-Eire is not one of the available choices." in page
    assert profile(newcomer).time_zone == "Europe/London"


def test_the_whole_setup_stores_what_each_step_entered(client, newcomer):
    client.post(step("zone"), {"time_zone": "Europe/Berlin"})
    client.post(step("bedtime"), {"bedtime": "21:30"})
    client.post(step("conditions"), {"known": ["fibromyalgia"], "others": "chronic migraine"})
    page = client.get(step("symptoms")).content.decode()
    assert "Poor sleep" in page and "outcome domains named in Mease P et al." in page
    client.post(step("symptoms"), {"suggested": ["pain", "fatigue"], "own": "Jaw pain"})
    client.post(step("medications"), {"name": "tramadol 50 mg"})
    start = local_today(newcomer) + dt.timedelta(days=20)
    client.post(step("plan"), {"template": "ldnrt-standard", "start": start.isoformat(),
                               "reason": "Starting LDN"})  # fmt: skip
    response = client.post(step("reminders"), {"email_missed_dose": "on"})
    p = profile(newcomer)
    assert (p.time_zone, p.bedtime, p.onboarding_step) == ("Europe/Berlin", dt.time(21, 30), "")
    assert p.conditions == ["Fibromyalgia", "chronic migraine"]
    assert list(Symptom.objects.filter(patient=newcomer).values_list("name", flat=True)) == [
        "Pain", "Fatigue", "Jaw pain"]  # fmt: skip
    assert Medication.objects.get(patient=newcomer).name == "tramadol 50 mg"
    assert PlanVersion.objects.get(patient=newcomer).start == start
    assert response["Location"] == reverse("dashboard")


def test_medications_are_screened_at_once(client, newcomer):
    page = client.post(step("medications"), {"name": "tramadol 50 mg"}, follow=True)
    assert "tramadol" in page.content.decode().lower()
    assert 'class="badge contraindicated"' in page.content.decode()


def test_a_first_dose_less_than_14_days_away_explains_the_run_in_and_offers_later(client, newcomer):
    today = local_today(newcomer)
    data = {"template": "ldnrt-standard", "start": today.isoformat(), "reason": "Starting LDN"}
    page = client.post(step("plan"), data).content.decode()
    assert "Your first dose is less than 14 days away" in page
    assert not PlanVersion.objects.filter(patient=newcomer).exists()
    client.post(step("plan"), data | {"start_choice": "later"})
    assert PlanVersion.objects.get(patient=newcomer).start == today + dt.timedelta(days=28)


def test_keeping_a_soon_start_is_the_patients_choice(client, newcomer):
    today = local_today(newcomer)
    data = {"template": "ldnrt-standard", "start": today.isoformat(), "reason": "Starting LDN"}
    client.post(step("plan"), data | {"start_choice": "keep"})
    assert PlanVersion.objects.get(patient=newcomer).start == today


def test_skipped_steps_resume_from_the_dashboard(client, newcomer):
    client.post(step("zone"), {"skip": "1"})
    client.post(step("bedtime"), {"skip": "1"})
    assert profile(newcomer).onboarding_step == "conditions"
    page = client.get(reverse("dashboard")).content.decode()
    assert "Next: your conditions." in page
    assert client.get(reverse("onboarding"))["Location"] == step("conditions")


def test_revisiting_an_earlier_step_does_not_move_progress_back(client, newcomer):
    for name in ("zone", "bedtime", "conditions"):
        client.post(step(name), {"skip": "1"})
    client.post(step("zone"), {"time_zone": "Europe/Berlin"})
    assert profile(newcomer).onboarding_step == "symptoms"


def test_accounts_made_before_setup_existed_are_not_asked(client, world):
    client.force_login(world.alice)
    assert "Finish setting up" not in client.get(reverse("dashboard")).content.decode()
