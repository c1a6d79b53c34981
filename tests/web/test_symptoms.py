"""The symptom manager: a new patient's own list of what the check-in asks about."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ldn.web.journal.models import Symptom

pytestmark = pytest.mark.django_db


def names(patient, active=True):
    return list(
        Symptom.objects.filter(patient=patient, active=active).values_list("name", flat=True)
    )


def add(client, name):
    return client.post(reverse("journal:symptoms"), {"new-name": name}, follow=True)


def test_a_new_patient_adds_a_symptom_and_the_checkin_asks_about_it(client, world):
    client.force_login(world.mallory)
    page = add(client, "  Morning   stiffness ").content.decode()
    assert names(world.mallory) == ["Morning stiffness"]
    assert "Added “Morning stiffness”: the check-in now asks about it." in page
    checkin = client.get(reverse("journal:checkin")).content.decode()
    assert "<legend>Morning stiffness</legend>" in checkin


def test_names_are_unique_per_patient_whatever_their_case(client, world):
    client.force_login(world.alice)  # alice already tracks "Pain"
    page = add(client, "pain").content.decode()
    assert "You already track “Pain”." in page
    assert names(world.alice) == ["Pain"]
    client.force_login(world.mallory)  # another patient may use the same name
    add(client, "Pain")
    assert names(world.mallory) == ["Pain"]


def test_a_name_longer_than_80_characters_is_refused(client, world):
    client.force_login(world.mallory)
    page = add(client, "x" * 81).content.decode()
    assert "A symptom name can be at most 80 characters; this one has 81." in page
    assert names(world.mallory) == []


def test_at_most_30_symptoms_are_active(client, world):
    for i in range(30):
        Symptom.objects.create(patient=world.mallory, key=f"s{i}", name=f"Symptom {i}")
    client.force_login(world.mallory)
    page = add(client, "One too many").content.decode()
    assert "You already track 30 symptoms, the most a check-in holds" in page
    assert Symptom.objects.filter(patient=world.mallory).count() == 30


def test_rename_keeps_the_ratings(client, world):
    pain = Symptom.objects.get(patient=world.alice, key="pain")
    client.force_login(world.alice)
    client.post(reverse("journal:symptom_rename", args=[pain.pk]), {"name": "Back pain"})
    pain.refresh_from_db()
    assert pain.name == "Back pain" and pain.ratings.count() == 1


def test_archive_leaves_the_checkin_keeps_the_ratings_and_restore_brings_it_back(client, world):
    pain = Symptom.objects.get(patient=world.alice, key="pain")
    client.force_login(world.alice)
    client.post(reverse("journal:symptom_archive", args=[pain.pk]))
    assert names(world.alice) == [] and names(world.alice, active=False) == ["Pain"]
    assert "<legend>Pain</legend>" not in client.get(reverse("journal:checkin")).content.decode()
    assert pain.ratings.count() == 1
    page = add(client, "Pain").content.decode()
    assert "“Pain” is in your archived symptoms: restore it instead." in page
    client.post(reverse("journal:symptom_restore", args=[pain.pk]))
    assert names(world.alice) == ["Pain"]


def test_reorder_moves_a_symptom_up(client, world):
    client.force_login(world.mallory)
    for name in ("Pain", "Fatigue", "Sleep"):
        add(client, name)
    sleep = Symptom.objects.get(patient=world.mallory, name="Sleep")
    client.post(reverse("journal:symptom_move", args=[sleep.pk]), {"direction": "up"})
    assert names(world.mallory) == ["Pain", "Sleep", "Fatigue"]


def test_the_manager_shows_the_0_to_10_anchors(client, world):
    client.force_login(world.mallory)
    page = client.get(reverse("journal:symptoms")).content.decode()
    assert "<strong>5</strong> Moderate: interferes with some activities" in page
