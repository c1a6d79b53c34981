"""The one dose rule where a dose is typed on the web: 4.5 passes, 4.6 and 50 need the
confirmation naming dose and range, 50.1 is refused even when confirmed.

(The plan editor's own cases are in test_therapy_plans.py, the CLI's in tests/dosing.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ldn.web.accounts.clock import local_today
from ldn.web.journal.models import DoseLog
from ldn.web.therapy.models import PlanVersion

pytestmark = pytest.mark.django_db

REFUSED = "The dose must be between 0.1 and 50 mg, got 50.1."


def asked(dose: str) -> str:
    return f"Yes, {dose} mg is right: I know it is above the usual LDN range of 0.5 to 4.5 mg."


# --- clinician plan adjustment -----------------------------------------------------------------
def adjust(client, world, dose, **extra):
    client.force_login(world.bob)
    day = local_today(world.alice) + dt.timedelta(days=1)
    data = {"dose_mg": dose, "from_day": day.isoformat(), "reason": "Reviewed"} | extra
    return client.post(reverse("clinic:adjust_plan", args=[world.alice.pk]), data)


@pytest.mark.parametrize(("dose", "saved"), [("4.5", True), ("4.6", False), ("50", False)])
def test_clinician_adjustment_without_confirmation(client, world, dose, saved):
    response = adjust(client, world, dose)
    assert PlanVersion.objects.filter(patient=world.alice).exists() is saved
    if not saved:
        assert asked(dose) in response.content.decode()


@pytest.mark.parametrize(("dose", "saved"), [("4.6", True), ("50", True), ("50.1", False)])
def test_clinician_adjustment_once_confirmed(client, world, dose, saved):
    response = adjust(client, world, dose, confirm_high_dose=dose)
    assert PlanVersion.objects.filter(patient=world.alice).exists() is saved
    if not saved:
        assert response.context["form"].errors["dose_mg"] == [REFUSED]


# --- check-in dose -----------------------------------------------------------------------------
def check_in(client, world, dose, **extra):
    client.force_login(world.alice)
    data = {"dose_status": "taken", "dose_mg": dose, "dose_time": "00:01"} | extra
    return client.post(reverse("journal:checkin"), data)


@pytest.mark.parametrize(("dose", "saved"), [("4.5", True), ("4.6", False), ("50", False)])
def test_check_in_dose_without_confirmation(client, world, dose, saved):
    response = check_in(client, world, dose)
    assert DoseLog.objects.filter(patient=world.alice).exists() is saved
    if not saved:
        assert asked(dose) in response.content.decode()


@pytest.mark.parametrize(("dose", "saved"), [("4.6", True), ("50", True), ("50.1", False)])
def test_check_in_dose_once_confirmed(client, world, dose, saved):
    response = check_in(client, world, dose, confirm_high_dose=dose)
    assert DoseLog.objects.filter(patient=world.alice).exists() is saved
    if not saved:  # refused by the rule itself, with its message
        assert response.context["form"].errors["dose_mg"] == [REFUSED]


# --- liquid calculator -------------------------------------------------------------------------
def calc(client, dose, **extra):
    data = {"tablet_mg": 100, "water_ml": 100, "dose_mg": dose, "syringe_resolution_ml": "0.1"}
    return client.get(reverse("therapy:liquid"), data | {"preparation": "plain_water"} | extra)


@pytest.mark.parametrize(("dose", "computed"), [("4.5", True), ("4.6", False), ("50", False)])
def test_liquid_calculator_without_confirmation(client, dose, computed):
    response = calc(client, dose)
    assert (response.context["result"] is not None) is computed
    if not computed:
        assert asked(dose) in response.content.decode()


@pytest.mark.parametrize(("dose", "computed"), [("4.6", True), ("50", True), ("50.1", False)])
def test_liquid_calculator_once_confirmed(client, dose, computed):
    response = calc(client, dose, confirm_high_dose=dose)
    assert (response.context["result"] is not None) is computed
    if not computed:
        assert response.context["form"].errors["dose_mg"] == [REFUSED]
