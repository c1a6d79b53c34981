"""History from the first rated day: the chart, its date axis, the calendar and dose changes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.urls import reverse

from ldn.web.accounts.clock import local_today
from ldn.web.charts import rolling_mean
from ldn.web.journal.models import DailyEntry, DoseLog, Symptom, SymptomRating

pytestmark = pytest.mark.django_db


def rate(patient, symptom, days_ago: list[int], score: int = 4) -> None:
    today = local_today(patient)
    for ago in days_ago:
        entry, _ = DailyEntry.objects.get_or_create(patient=patient, day=today - dt.timedelta(ago))
        SymptomRating.objects.create(entry=entry, symptom=symptom, score=score)


@pytest.fixture
def fatigue(world):
    return Symptom.objects.create(patient=world.mallory, key="fatigue", name="Fatigue")


@pytest.mark.parametrize("days", [1, 3, 6])
def test_history_shows_the_first_days_of_ratings(client, world, fatigue, days):
    rate(world.mallory, fatigue, list(range(days)))
    client.force_login(world.mallory)
    response = client.get(reverse("journal:history"))
    assert response.status_code == 200
    rated = "1 day rated." if days == 1 else f"{days} days rated."
    assert rated in response.content.decode()


def test_history_of_a_symptom_added_last_week_beside_an_older_one(client, world, fatigue):
    rate(world.mallory, fatigue, list(range(40)))
    fog = Symptom.objects.create(patient=world.mallory, key="fog", name="Brain fog", position=1)
    rate(world.mallory, fog, [0, 2, 5])
    client.force_login(world.mallory)
    response = client.get(reverse("journal:history"), {"symptom": fog.pk})
    assert response.status_code == 200
    assert "3 days rated" in response.content.decode()


def test_the_chart_has_a_date_axis_from_the_first_to_the_last_day(client, world, fatigue):
    rate(world.mallory, fatigue, [0, 9])
    today = local_today(world.mallory)
    client.force_login(world.mallory)
    page = client.get(reverse("journal:history")).content.decode()
    first, last = today - dt.timedelta(9), today
    assert f'text-anchor="middle">{first:%-d %b}</text>' in page
    assert f'text-anchor="middle">{last:%-d %b}</text>' in page


def test_doses_logged_before_the_first_rating_are_listed_as_the_dose_in_effect(
    client, world, fatigue
):
    today = local_today(world.mallory)
    for ago in range(20, 0, -1):
        DoseLog.objects.create(patient=world.mallory, day=today - dt.timedelta(ago),
                               status="taken", amount_mg="1.5")  # fmt: skip
    rate(world.mallory, fatigue, [0, 1])
    client.force_login(world.mallory)
    page = client.get(reverse("journal:history")).content.decode()
    assert "No LDN doses logged" not in page
    assert f"From {today - dt.timedelta(20):%-d %b %Y}: 1.5 mg" in page


def test_an_archived_symptom_keeps_its_history(client, world, fatigue):
    rate(world.mallory, fatigue, [0, 1])
    fatigue.active = False
    fatigue.save()
    client.force_login(world.mallory)
    page = client.get(reverse("journal:history"), {"symptom": fatigue.pk}).content.decode()
    assert "Fatigue (archived)" in page and "2 days rated" in page


def test_the_rolling_mean_needs_four_rated_days_in_the_week_around_each_day():
    series = np.array([2, 4, np.nan, 6, 8, np.nan, np.nan, np.nan])
    # Day 0 sees days 0-3 (three rated): none. Days 1-3 see all four: (2+4+6+8)/4 = 5.
    # Day 4 sees days 1-7 (three rated): none.
    expected = [np.nan, 5.0, 5.0, 5.0, np.nan, np.nan, np.nan, np.nan]
    np.testing.assert_allclose(rolling_mean(series), expected, equal_nan=True)


def test_the_rolling_mean_of_one_day_is_empty_not_an_error():
    assert np.isnan(rolling_mean(np.array([3.0]))).all()


def test_a_timing_change_is_listed_and_marked_on_the_chart(client, world, fatigue):
    from ldn.web.living.models import TimingChange

    today = local_today(world.mallory)
    rate(world.mallory, fatigue, list(range(10)))
    TimingChange.objects.create(
        patient=world.mallory, day=today - dt.timedelta(4), time_of_day="morning",
        dose_time=dt.time(8, 0), reason="Vivid dreams at bedtime",
    )  # fmt: skip
    TimingChange.objects.create(
        patient=world.mallory, day=today + dt.timedelta(3), time_of_day="bedtime",
        dose_time=dt.time(22, 0), reason="Planned, not yet in the history",
    )  # fmt: skip
    client.force_login(world.mallory)
    page = client.get(reverse("journal:history")).content.decode()
    assert f"<li>From {today - dt.timedelta(4):%-d %b %Y}: morning dose at 08:00</li>" in page
    assert "bedtime dose at 22:00" not in page
    assert page.count('class="timing-mark"') == 1
    assert "dotted purple lines: dose time changes" in page


def test_without_a_timing_change_the_history_has_no_such_list(client, world, fatigue):
    rate(world.mallory, fatigue, [0, 1])
    client.force_login(world.mallory)
    page = client.get(reverse("journal:history")).content.decode()
    assert "Dose time changes" not in page and 'class="timing-mark"' not in page
