"""After a journal change the worker precomputes the statistics the dashboard then reads."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from ldn.web.insights import services, tasks
from ldn.web.journal.demo import create_demo_patient

pytestmark = pytest.mark.django_db


def _refuse(*args, **kwargs):
    raise AssertionError("the dashboard recomputed instead of using the precomputed result")


def test_a_check_in_queues_a_warm_up_after_commit(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks, "warm_up", queued.append)
    user, _ = create_demo_patient(date.today())
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("journal:checkin"), {"dose_status": "none", "sleep_hours": "7"})
    assert queued == [user.pk]


def test_the_dashboard_uses_what_the_worker_computed(client, monkeypatch):
    cache.clear()
    user, _ = create_demo_patient(date.today())
    assert tasks.warm_up.call_local(user.pk) is True
    monkeypatch.setattr(services, "analyse_before_after", _refuse)
    monkeypatch.setattr(services, "screen_triggers", _refuse)
    client.force_login(user)
    page = client.get(reverse("insights:dashboard")).content.decode()
    assert "Likely better" in page or "No clear change" in page
