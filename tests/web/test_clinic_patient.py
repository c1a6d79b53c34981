"""The clinician's patient view and actions: adjust the plan, follow-ups, notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ldn.dosing import PlanStep, TitrationPlan
from ldn.web.accounts.clock import patient_zone
from ldn.web.clinic import integrations
from ldn.web.clinic.models import ClinicianNote
from ldn.web.therapy import plans
from ldn.web.therapy.models import FollowUp, PlanVersion

pytestmark = pytest.mark.django_db


def test_adjusting_the_plan_makes_a_new_version_the_patient_sees_with_its_author(client, world):
    start = timezone.localdate() - dt.timedelta(days=40)
    plan = TitrationPlan(start=start, steps=(PlanStep(1.5, 0, 14), PlanStep(4.5, 14)))
    plans.save_version(world.alice, plan, author=world.alice, reason="Starting LDN")
    client.force_login(world.bob)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("clinic:adjust_plan", args=[world.alice.pk]),
        {"dose_mg": "3", "from_day": tomorrow.isoformat(), "reason": "Vivid dreams at 4.5 mg"},
    )
    assert response.status_code == 302
    latest = PlanVersion.objects.filter(patient=world.alice).order_by("-number").first()
    assert latest.number == 2 and latest.author == world.bob and latest.author_name == "bob"
    current = plans.current_plan(world.alice)
    assert current.dose_on(tomorrow) == 3.0 and current.dose_on(timezone.localdate()) == 4.5
    client.force_login(world.alice)
    page = client.get(reverse("therapy:plan")).content.decode()
    assert "Vivid dreams at 4.5 mg" in page and "bob" in page


def test_the_adjusted_plan_keeps_earlier_steps_and_pauses():
    start = dt.date(2026, 1, 1)
    plan = TitrationPlan(
        start=start, steps=(PlanStep(1.5, 0, 14), PlanStep(3, 14, 28), PlanStep(4.5, 28))
    )
    new = integrations.adjusted_plan(plan, 3.0, start + dt.timedelta(days=40))
    assert [(s.dose_mg, s.from_day, s.to_day) for s in new.steps] == [
        (1.5, 0, 14), (3, 14, 28), (4.5, 28, 40), (3.0, 40, None)
    ]  # fmt: skip
    with pytest.raises(ValueError, match="on or after the plan's start"):
        integrations.adjusted_plan(plan, 3.0, start - dt.timedelta(days=1))


def test_a_dose_out_of_range_is_refused_at_the_field(client, world):
    client.force_login(world.bob)
    response = client.post(
        reverse("clinic:adjust_plan", args=[world.alice.pk]),
        {"dose_mg": "75", "from_day": "2026-12-01", "reason": "typo"},
    )
    assert "The dose must be between 0.1 and 50 mg, got 75." in response.content.decode()
    assert not PlanVersion.objects.filter(patient=world.alice).exists()


def test_a_follow_up_goes_into_the_patients_reminders(client, world):
    client.force_login(world.bob)
    day = timezone.localdate() + dt.timedelta(days=21)
    client.post(
        reverse("clinic:follow_up_create", args=[world.alice.pk]),
        {"day": day.isoformat(), "time": "10:30", "note": "Review sleep"},
    )
    follow_up = FollowUp.objects.get(patient=world.alice)
    assert follow_up.created_by == world.bob and follow_up.note == "Review sleep"
    local = timezone.localtime(follow_up.when, patient_zone(world.alice))
    assert (local.date(), local.hour, local.minute) == (day, 10, 30)


def test_a_follow_up_before_the_patients_own_today_is_refused(client, world):
    from ldn.web.accounts.clock import local_today

    client.force_login(world.bob)
    today = local_today(world.alice)  # Europe/Berlin, not the server's UTC date
    url = reverse("clinic:follow_up_create", args=[world.alice.pk])
    client.post(url, {"day": (today - dt.timedelta(days=1)).isoformat(), "time": "10:30"})
    assert not FollowUp.objects.filter(patient=world.alice).exists()
    client.post(url, {"day": today.isoformat(), "time": "23:30"})
    assert FollowUp.objects.filter(patient=world.alice).count() == 1


def test_private_notes_stay_with_their_author_and_shared_ones_reach_the_patient(client, world):
    client.force_login(world.bob)
    url = reverse("clinic:note_create", args=[world.alice.pk])
    client.post(url, {"text": "Consider thyroid panel"})
    client.post(url, {"text": "Take it at bedtime", "shared_with_patient": "on"})
    assert ClinicianNote.objects.filter(patient=world.alice).count() == 2
    client.force_login(world.alice)
    page = client.get(reverse("clinic:shared_notes")).content.decode()
    assert "Take it at bedtime" in page and "thyroid" not in page
    from ldn.web.accounts.models import Share

    Share.objects.create(patient=world.alice, clinician=world.charlie, areas=Share.all_areas())
    client.force_login(world.charlie)
    page = client.get(reverse("clinic:patient", args=[world.alice.pk])).content.decode()
    assert "thyroid" not in page


def test_the_patient_view_shows_the_shared_areas(client, world):
    client.force_login(world.bob)
    page = client.get(reverse("clinic:patient", args=[world.alice.pk])).content.decode()
    for heading in ("Needs attention", "Plan", "Adherence", "Is LDN helping?", "Medication screening",
                    "Side effects", "Your notes"):  # fmt: skip
        assert heading in page, heading


def test_the_patient_is_sent_to_their_own_dashboard(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("clinic:patient", args=[world.alice.pk]))
    assert response["Location"] == reverse("dashboard")
