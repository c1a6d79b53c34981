"""After a journal change the worker precomputes the statistics the dashboard then reads."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from ldn.web.accounts.clock import local_today
from ldn.web.insights import services, tasks
from ldn.web.journal.demo import create_demo_patient

pytestmark = pytest.mark.django_db


def _refuse(*args, **kwargs):
    raise AssertionError("the dashboard recomputed instead of using the precomputed result")


@pytest.mark.parametrize(("days_back", "warm_ups"), [(1, 1), (0, 0)])
def test_a_check_in_queues_a_warm_up_after_commit_for_a_whole_day_only(
    client, django_capture_on_commit_callbacks, monkeypatch, days_back, warm_ups
):
    """Yesterday's check-in with its dose: one warm-up (not one per row written). Today's entry
    and dose log are outside the counted diary: nothing to precompute."""
    user, _ = create_demo_patient(date.today())
    reverse("journal:checkin")  # the URLs (and the modules they import) before the patch
    queued = []
    monkeypatch.setattr(tasks, "warm_up", queued.append)
    client.force_login(user)
    day = local_today(user) - timedelta(days=days_back)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("journal:checkin_day", kwargs={"day": day}),
            {"dose_status": "taken", "dose_mg": "4.5", "sleep_hours": "7"},
        )
    assert response.status_code == 302
    assert queued == [user.pk] * warm_ups


def test_the_dashboard_uses_what_the_worker_computed(client, monkeypatch):
    cache.clear()
    user, _ = create_demo_patient(date.today())
    assert tasks.warm_up.call_local(user.pk) is True
    monkeypatch.setattr(services, "analyse_before_after", _refuse)
    monkeypatch.setattr(services, "screen_triggers", _refuse)
    client.force_login(user)
    page = client.get(reverse("insights:dashboard")).content.decode()
    assert "Likely better" in page or "No clear change" in page
