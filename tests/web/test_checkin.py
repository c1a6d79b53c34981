"""Check-in: saving, pre-filling, back-filling, editing with history, and refusing bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ldn.web.journal.models import DailyEntry, DoseLog, EntryRevision, Symptom

pytestmark = pytest.mark.django_db


@pytest.fixture
def pain(world):
    return Symptom.objects.get(patient=world.alice, key="pain")


def berlin_today():
    import zoneinfo

    return timezone.localtime(timezone.now(), zoneinfo.ZoneInfo("Europe/Berlin")).date()


def post(client, day, **data):
    url = reverse("journal:checkin_day", args=[day]) if day else reverse("journal:checkin")
    return client.post(url, {"dose_status": "none", **data})


def at_berlin(settings, when: dt.datetime) -> None:
    """Move the clock seam so that it is `when` (Europe/Berlin wall time) now."""
    import zoneinfo

    target = when.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    settings.LDN_CLOCK_SHIFT = target - timezone.now()


def test_it_saves_a_day_with_ratings_and_dose(client, world, pain, settings):
    at_berlin(settings, dt.datetime(2026, 11, 5, 23, 0))
    client.force_login(world.alice)
    today = dt.date(2026, 11, 5)
    response = post(
        client,
        None,
        **{f"symptom_{pain.pk}": "4"},
        dose_status="taken",
        dose_mg="1.5",
        dose_time="22:10",
        sleep_hours="7",
        side_effects=["headache"],
    )
    assert response.status_code == 302
    entry = DailyEntry.objects.get(patient=world.alice, day=today)
    assert entry.ratings.get().score == 4 and entry.side_effects == ["headache"]
    dose = DoseLog.objects.get(patient=world.alice, day=today)
    assert float(dose.amount_mg) == 1.5
    assert dose.taken_at.astimezone(dt.UTC).isoformat().endswith("+00:00")
    assert EntryRevision.objects.get(day=today).action == "created"


def test_it_refuses_a_future_date(client, world):
    client.force_login(world.alice)
    tomorrow = berlin_today() + dt.timedelta(days=1)
    response = post(client, tomorrow)
    assert response["Location"] == reverse("journal:checkin")
    assert not DailyEntry.objects.filter(day=tomorrow).exists()


def test_a_taken_dose_needs_an_amount_and_nothing_is_saved_without_it(client, world, pain):
    client.force_login(world.alice)
    response = post(client, None, **{f"symptom_{pain.pk}": "4"}, dose_status="taken")
    assert "Enter the dose you took, in mg (for example 4.5)." in response.content.decode()
    assert not DailyEntry.objects.filter(day=berlin_today()).exists()


def test_an_out_of_range_score_is_shown_at_the_field(client, world, pain):
    client.force_login(world.alice)
    response = post(client, None, **{f"symptom_{pain.pk}": "11"})
    assert (
        "Select a valid choice. 11 is not one of the available choices."
        in response.content.decode()
    )


def test_it_backfills_a_past_day_and_editing_keeps_the_old_version(client, world, pain):
    client.force_login(world.alice)
    day = dt.date(2026, 11, 1)  # the world already has an entry on this day with pain 6
    post(client, day, **{f"symptom_{pain.pk}": "2"})
    entry = DailyEntry.objects.get(patient=world.alice, day=day)
    assert entry.ratings.get().score == 2
    revision = EntryRevision.objects.get(day=day)
    assert revision.action == "edited" and revision.before["ratings"] == {"Pain": 6}


def test_a_new_day_starts_empty_with_one_same_as_button(client, world, pain):
    DoseLog.objects.create(patient=world.alice, day=dt.date(2026, 11, 1), status="taken",
                           amount_mg="4.5")  # fmt: skip
    client.force_login(world.alice)
    page = client.get(reverse("journal:checkin_day", args=[dt.date(2026, 11, 3)])).content.decode()
    assert " checked" not in page.split('id="checkin"', 1)[1]
    assert 'name="sleep_hours" value=' not in page
    assert 'value="taken" id="id_dose_status_0" checked' not in page
    assert 'name="same_as" value="2026-11-01"' in page and "Same as Sun 1 Nov" in page


def test_same_as_copies_the_chosen_day_but_stores_nothing_until_saved(client, world, pain):
    client.force_login(world.alice)
    url = reverse("journal:checkin_day", args=[dt.date(2026, 11, 3)])
    page = client.get(url, {"same_as": "2026-11-01"}).content.decode()
    assert f'name="symptom_{pain.pk}" value="6" id="id_symptom_{pain.pk}_6" checked' in page
    assert "Copied from Sunday 1 November" in page
    assert not DailyEntry.objects.filter(day=dt.date(2026, 11, 3)).exists()


def test_a_backfilled_day_saved_as_left_stores_no_sleep_and_no_dose(client, world, pain):
    world.entry.sleep_quality = 8
    world.entry.save()
    DoseLog.objects.create(patient=world.alice, day=dt.date(2026, 11, 1), status="taken",
                           amount_mg="4.5")  # fmt: skip
    client.force_login(world.alice)
    url = reverse("journal:checkin_day", args=[dt.date(2026, 11, 3)])
    client.post(url, {f"symptom_{pain.pk}": "5"})
    entry = DailyEntry.objects.get(patient=world.alice, day=dt.date(2026, 11, 3))
    assert (entry.sleep_hours, entry.sleep_quality) == (None, None)
    assert not DoseLog.objects.filter(day=dt.date(2026, 11, 3)).exists()


def test_before_bedtime_tonights_dose_is_unanswered(client, world, settings):
    from ldn.dosing import plan_from_steps
    from ldn.web.therapy.plans import save_version

    at_berlin(settings, dt.datetime(2026, 11, 5, 19, 30))
    save_version(world.alice, plan_from_steps("1.5@0", dt.date(2026, 11, 1)),
                 author=world.alice, reason="Started LDN")  # fmt: skip
    client.force_login(world.alice)
    page = client.get(reverse("journal:checkin")).content.decode()
    assert "checked" not in page.split('name="dose_status"', 1)[1].split("</fieldset>")[0]
    assert "Tonight's dose is due at 22:00" in page


def test_a_dose_time_later_than_now_is_refused(client, world, pain, settings):
    at_berlin(settings, dt.datetime(2026, 11, 5, 19, 30))
    client.force_login(world.alice)
    response = post(client, None, dose_status="taken", dose_mg="4.5", dose_time="22:00")
    assert (
        "22:00 has not come yet today (it is now 19:30): log the dose after you have taken it."
        in response.content.decode()
    )
    assert not DoseLog.objects.filter(patient=world.alice).exists()


def test_a_saved_day_links_to_its_detail_and_change_history(client, world):
    client.force_login(world.alice)
    page = client.get(reverse("journal:checkin_day", args=[world.entry.day])).content.decode()
    assert reverse("journal:entry", args=[world.entry.pk]) in page


def test_change_history_times_are_in_the_patients_zone(client, world):
    revision = EntryRevision.objects.create(patient=world.alice, day=world.entry.day,
                                            action="created", changed_by=world.alice)  # fmt: skip
    EntryRevision.objects.filter(pk=revision.pk).update(
        changed_at=dt.datetime(2026, 11, 1, 21, 30, tzinfo=dt.UTC)
    )
    client.force_login(world.alice)
    page = client.get(reverse("journal:entry", args=[world.entry.pk])).content.decode()
    assert "1 Nov 2026 22:30: Created" in page  # Europe/Berlin is UTC+1 in November


def test_deleting_a_day_removes_its_dose_too(client, world):
    DoseLog.objects.create(patient=world.alice, day=world.entry.day, status="taken",
                           amount_mg="4.5")  # fmt: skip
    client.force_login(world.alice)
    client.post(reverse("journal:entry_delete", args=[world.entry.pk]))
    assert not DoseLog.objects.filter(patient=world.alice, day=world.entry.day).exists()


def test_deleting_an_entry_keeps_its_last_version_in_the_history(client, world):
    client.force_login(world.alice)
    client.post(reverse("journal:entry_delete", args=[world.entry.pk]))
    assert not DailyEntry.objects.filter(pk=world.entry.pk).exists()
    revision = EntryRevision.objects.get(day=world.entry.day)
    assert revision.action == "deleted" and revision.before["ratings"] == {"Pain": 6}


def test_clinicians_do_not_keep_a_journal(client, world):
    client.force_login(world.bob)
    assert client.get(reverse("journal:checkin")).status_code == 403


def test_history_of_another_patient_is_not_reachable_by_symptom_id(client, world, pain):
    client.force_login(world.mallory)
    page = client.get(reverse("journal:history"), {"symptom": pain.pk}).content.decode()
    assert "Pain day by day" not in page


def test_a_late_dose_is_visible_on_the_day_and_in_recent_entries(client, world, pain):
    client.force_login(world.alice)  # bedtime 22:00 by default, Europe/Berlin
    day = dt.date(2026, 11, 1)
    post(
        client,
        day,
        **{f"symptom_{pain.pk}": "3"},
        dose_status="taken",
        dose_mg="4.5",
        dose_time="23:40",
    )
    entry = DailyEntry.objects.get(patient=world.alice, day=day)
    assert (
        "4.5 mg at 23:40, late by 100 min"
        in client.get(reverse("journal:entry", args=[entry.pk])).content.decode()
    )
    overview = client.get(reverse("patient_overview", args=[world.alice.pk])).content.decode()
    assert "<strong>4.5 mg at 23:40, late by 100 min</strong>" in overview


def test_a_new_day_is_prefilled_with_the_dose_of_the_active_plan(client, world):
    from ldn.dosing import plan_from_steps
    from ldn.web.therapy.plans import save_version

    plan = plan_from_steps("1.5@0,3@14", dt.date(2026, 11, 1))
    save_version(world.alice, plan, author=world.alice, reason="Started LDN")
    client.force_login(world.alice)
    page = client.get(reverse("journal:checkin_day", args=[dt.date(2026, 11, 15)])).content.decode()
    assert 'name="dose_mg" value="3"' in page or 'name="dose_mg" value="3.0"' in page


def test_the_go_to_day_box_works_without_a_script(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("journal:checkin"), {"day": "2026-11-01"})
    assert response["Location"] == reverse("journal:checkin_day", args=[dt.date(2026, 11, 1)])
