"""The demo patient in the database: the shape later issues rely on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ldn.web.journal.demo import DemoError, create_demo_patient
from ldn.web.journal.models import DailyEntry, DoseLog, SymptomRating

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def test_demo_has_a_four_week_baseline_then_six_months_on_ldn():
    user, _ = create_demo_patient(TODAY)
    days = list(
        DailyEntry.objects.filter(patient=user).order_by("day").values_list("day", flat=True)
    )
    first_dose = DoseLog.objects.filter(patient=user).order_by("day").first()
    assert days[-1] == TODAY - timedelta(days=1)
    assert (first_dose.day - days[0]).days == 28
    assert len(days) == 28 + 182
    assert float(DoseLog.objects.filter(patient=user).order_by("-day").first().amount_mg) == 4.5
    assert SymptomRating.objects.filter(entry__patient=user).count() == len(days) * 5


def test_refreshing_the_demo_replaces_it_and_changes_the_password():
    first, pw1 = create_demo_patient(TODAY)
    second, pw2 = create_demo_patient(TODAY)
    assert pw1 != pw2 and second.check_password(pw2)
    assert DailyEntry.objects.filter(patient__username="demo").count() == 210


def test_it_refuses_to_overwrite_a_real_account_called_demo(world):
    from tests.conftest import make_patient

    make_patient("demo")
    with pytest.raises(DemoError, match="a real account is called 'demo'"):
        create_demo_patient(TODAY)
