"""Public pages and the dashboard shell."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_is_public_and_carries_the_opioid_warning_and_disclaimer(client):
    page = client.get(reverse("home")).content.decode()
    assert "Do not take LDN together with opioid pain medicines" in page
    assert "it does not replace your clinician" in page


def test_dashboard_asks_for_yesterday_when_it_is_missing(client, world):
    client.force_login(world.alice)
    page = client.get(reverse("dashboard")).content.decode()
    assert "You have no entry for yesterday yet." in page


def test_the_demo_patient_is_labelled_synthetic(client):
    from datetime import date

    from ldn.web.journal.demo import create_demo_patient

    user, _ = create_demo_patient(date(2026, 11, 25))
    client.force_login(user)
    assert "Synthetic demo patient." in client.get(reverse("dashboard")).content.decode()
