"""Idle sessions are pushed on at most once per LDN_SESSION_TOUCH_SECONDS (accounts.middleware),
not written on every request, and still end after their idle limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_patient

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _session_writes(client, path: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(path).status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in seen.captured_queries)


def test_a_session_is_saved_once_per_interval_and_expires_idle_time_after(
    client, settings, time_machine
) -> None:
    settings.LDN_SESSION_TOUCH_SECONDS = 60
    time_machine.move_to(START, tick=False)
    client.force_login(make_patient("pat"))
    assert _session_writes(client, reverse("dashboard")) == 1  # first request: pushed on
    time_machine.move_to(START + dt.timedelta(seconds=30), tick=False)
    assert _session_writes(client, reverse("dashboard")) == 0
    assert _session_writes(client, reverse("journal:history")) == 0
    time_machine.move_to(START + dt.timedelta(seconds=61), tick=False)
    assert _session_writes(client, reverse("dashboard")) == 1
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    expires = Session.objects.get(session_key=key).expire_date
    # A stored expiry at most the touch interval short of the idle limit after the last request.
    age = settings.SESSION_COOKIE_AGE
    assert expires == START + dt.timedelta(seconds=61 + age)
    time_machine.move_to(START + dt.timedelta(seconds=61 + age - 1), tick=False)
    assert _session_writes(client, reverse("dashboard")) == 1  # still signed in: pushed on
    time_machine.move_to(START + dt.timedelta(seconds=2 * (61 + age)), tick=False)
    assert client.get(reverse("dashboard")).status_code == 302  # idle too long: signed out
