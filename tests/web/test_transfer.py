"""Import (all-or-nothing, idempotent, every problem reported), export, and account deletion."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from ldn.web.journal.models import DailyEntry, DoseLog, SymptomRating
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "interop" / "fixtures"


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def upload(client, name: str, content: bytes, fmt: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("journal:import"),
        {"format": fmt, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


HEADER = (
    "date,ldn_dose_mg,dose_status,dose_time,sleep_hours,sleep_quality,stress,exercise_minutes,"
    "water_litres,alcohol_units,side_effects,side_effect_other,therapies,tags,cycle_day,"
    "diet_notes,notes"
)
EMPTY = ",,,,,,,,,,,,"  # the 12 columns sleep_quality … notes left blank
OURS = (
    f"{HEADER},symptom:Pain,symptom:Fatigue\n"
    f"2026-10-01,1.5,taken,22:05,7{EMPTY},5,6\n"
    f"2026-10-02,1.5,missed,,6.5{EMPTY},6,6\n"
    f"2026-10-03,3,taken,22:30,8{EMPTY},4,5\n"
).encode()


def test_a_broken_file_changes_nothing_and_lists_every_problem(client, world):
    client.force_login(world.alice)
    broken = (
        f"{HEADER},symptom:Pain\n"
        f"2026-10-01,1.5,taken,22:05,7{EMPTY},5\n"
        f"2026-13-45,1.5,taken,22:05,7{EMPTY},5\n"
        f"2026-10-03,1.5,taken,22:05,7{EMPTY},14\n"
        f"2999-01-01,1.5,taken,22:05,7{EMPTY},5\n"
        f"2026-10-01,1.5,taken,22:05,7{EMPTY},5\n"
    ).encode()
    before = row_counts()
    page = upload(client, "broken.csv", broken, "ours").content.decode()
    assert "Nothing was imported" in page
    for row in ("<td>3</td>", "<td>4</td>", "<td>5</td>", "<td>6</td>"):
        assert row in page
    assert row_counts() == before
    # confirming without a clean preview in the session commits nothing either
    client.post(reverse("journal:import_confirm"))
    assert row_counts() == before


def test_a_clean_file_is_previewed_then_committed_and_a_reimport_adds_nothing(client, world):
    client.force_login(world.alice)
    page = upload(client, "mine.csv", OURS, "ours").content.decode()
    assert "Import 3 days" in page and "Fatigue" in page  # Fatigue is a new symptom
    assert not DailyEntry.objects.filter(patient=world.alice, day__month=10).exists()
    client.post(reverse("journal:import_confirm"))
    assert DailyEntry.objects.filter(patient=world.alice, day__month=10).count() == 3
    assert DoseLog.objects.get(patient=world.alice, day="2026-10-02").status == "missed"
    after_first = row_counts()

    upload(client, "mine.csv", OURS, "ours")
    response = client.post(reverse("journal:import_confirm"), follow=True)
    assert "0 new days, 0 updated, 3 already up to date" in response.content.decode()
    assert row_counts() == after_first


def test_flaredown_import_shows_the_scale_mapping_before_saving(client, world):
    client.force_login(world.alice)
    page = upload(client, "fd.csv", (FIXTURES / "flaredown_good.csv").read_bytes(), "flaredown")
    text = page.content.decode()
    assert "How ratings are converted" in text
    assert "Import 3 days" in text
    client.post(reverse("journal:import_confirm"))
    fatigue = SymptomRating.objects.get(
        entry__patient=world.alice, symptom__name="Fatigue", entry__day="2021-03-01"
    )
    assert fatigue.score == 5  # Flaredown 2 on 0-4 → 5 on 0-10 (the mapping shown above)


def test_an_oversized_file_is_refused_with_a_clear_error(client, world, settings):
    from ldn.web.journal import transfer

    client.force_login(world.alice)
    big = OURS + b"#" * (transfer.MAX_UPLOAD_BYTES + 10)
    before = row_counts()
    page = upload(client, "big.csv", big, "ours").content.decode()
    assert "Nothing was imported" in page and "MB" in page
    assert row_counts() == before


def test_export_zip_holds_everything_and_round_trips(client, world):
    client.force_login(world.alice)
    upload(client, "mine.csv", OURS, "ours")
    client.post(reverse("journal:import_confirm"))
    response = client.get(reverse("journal:export"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["journal.csv", "ldn-companion-export.json"]
    doc = json.loads(archive.read("ldn-companion-export.json"))
    assert doc["format"] == "ldn-companion" and len(doc["days"]) == 4  # 3 imported + the world's
    before = row_counts()
    upload(client, "again.csv", archive.read("journal.csv"), "ours")
    response = client.post(reverse("journal:import_confirm"), follow=True)
    assert "0 new days, 0 updated, 4 already up to date" in response.content.decode()
    assert row_counts() == before


def test_deleting_the_account_removes_every_row_it_owns_and_nothing_else(client, world):
    client.force_login(world.alice)
    upload(client, "mine.csv", OURS, "ours")
    client.post(reverse("journal:import_confirm"))
    before = row_counts()
    wrong = client.post(reverse("delete_account"), {"password": "nope"})
    assert "That is not your password; nothing was deleted." in wrong.content.decode()
    assert row_counts() == before

    client.post(reverse("delete_account"), {"password": PASSWORD})
    after = row_counts()
    owned = {
        "accounts.User": 1,
        "accounts.PatientProfile": 1,
        "accounts.Share": 2,
        "journal.Symptom": 2,
        "journal.DailyEntry": 4,
        "journal.SymptomRating": 1 + 6,
        "journal.DoseLog": 3,
        "journal.EntryRevision": 3,
        "journal.QuestionnaireResponse": 1,
        "sessions.Session": 1,  # her logged-in session ends with the account
        "axes.AccessLog": 1,  # and the record of her login (tests/web/test_account_deletion.py)
    }
    for label, count in before.items():
        expected = count - owned.get(label, 0)
        assert after[label] == expected, label
    assert not any(
        m._default_manager.filter(**{f.name: world.alice.pk}).exists()
        for m in apps.get_models()
        for f in m._meta.fields
        if f.is_relation and f.related_model is type(world.alice) and f.name != "changed_by"
    )
