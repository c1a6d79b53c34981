"""Five years of data: the check-in and history pages stay within a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from ldn.web.journal.models import DailyEntry, DoseLog, Symptom, SymptomRating

pytestmark = pytest.mark.django_db
DAYS, SYMPTOMS = 5 * 365, 10


@pytest.fixture
def five_years(world):
    patient = world.alice
    symptoms = Symptom.objects.bulk_create(
        Symptom(patient=patient, key=f"s{i}", name=f"Symptom {i}", position=i)
        for i in range(SYMPTOMS)
    )
    start = date.today() - timedelta(days=DAYS + 1)
    entries = DailyEntry.objects.bulk_create(
        DailyEntry(patient=patient, day=start + timedelta(days=i), sleep_hours=7)
        for i in range(DAYS)
        if start + timedelta(days=i) != date(2026, 11, 1)  # the world's own entry
    )
    SymptomRating.objects.bulk_create(
        SymptomRating(entry=e, symptom=s, score=(e.day.toordinal() + s.position) % 11)
        for e in entries
        for s in symptoms
    )
    DoseLog.objects.bulk_create(
        DoseLog(patient=patient, day=e.day, status="taken", amount_mg=1.5 if i < 400 else 4.5)
        for i, e in enumerate(entries)
    )
    return patient


@pytest.mark.parametrize(
    ("url", "bound"),
    # The counts measured on 2026-12-02 (docs/performance.md): a page that needs more has grown
    # a query per request, which under load costs every patient.
    [
        (reverse("journal:checkin"), 14),
        (reverse("journal:history"), 11),
        (reverse("journal:history") + "?range=all", 11),
        # The dashboard also carries the set-up prompt, "when will I know", the tolerance window,
        # the thyroid watch and the new-bottle prompt: a fixed number of queries, not per day.
        (reverse("dashboard"), 20),
        (reverse("insights:dashboard"), 13),
    ],
)
def test_pages_use_a_bounded_number_of_queries(
    client, five_years, django_assert_max_num_queries, url, bound
):
    client.force_login(five_years)
    client.get(url)  # the first request may fill per-process caches
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200


def test_the_dashboard_summary_counts_each_window_as_documented(world) -> None:
    """Last 7 days (today included) and the 28 days before them, per symptom; entries, the last
    entry and whether yesterday is missing, from one aggregate."""
    from ldn.web.journal.queries import journal_summary

    patient = world.alice
    DailyEntry.objects.filter(patient=patient).delete()
    today = date(2026, 6, 30)
    pain = Symptom.objects.create(patient=patient, key="p", name="Pain", position=0)
    Symptom.objects.create(patient=patient, key="f", name="Fog", position=1)  # never rated
    scores = {0: 2, 6: 4, 7: 9, 34: 5, 35: 10}  # days before today -> score
    for back, score in scores.items():
        e = DailyEntry.objects.create(patient=patient, day=today - timedelta(days=back))
        SymptomRating.objects.create(entry=e, symptom=pain, score=score)
    s = journal_summary(patient, today)
    assert (s.entries, s.last_entry, s.yesterday_missing) == (5, today, True)
    got = {x.name: (x.last_7_days, x.previous_28_days) for x in s.symptoms}
    assert got == {"Pain": (3.0, 7.0), "Fog": (None, None)}  # (2+4)/2; (9+5)/2; day 35 out
    DailyEntry.objects.create(patient=patient, day=today - timedelta(days=1))
    assert journal_summary(patient, today).yesterday_missing is False
