"""Import (all-or-nothing, idempotent, every problem reported), export, and account deletion."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from ldn.interop import schema_problems
from ldn.web.journal.models import DailyEntry, DoseLog, OtherDose, SymptomRating
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    """Each test's uploads wait in a folder of its own."""
    settings.DATA_DIR = tmp_path


FIXTURES = Path(__file__).resolve().parents[1] / "interop" / "fixtures"


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def upload(client, name: str, content: bytes, fmt: str = "auto"):
    """Upload a file and follow to its preview page (what the browser shows)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("journal:import"),
        {"format": fmt, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
        follow=True,
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
    assert "Format found: <strong>LDN Companion CSV</strong>" in page
    assert not DailyEntry.objects.filter(patient=world.alice, day__month=10).exists()
    client.post(reverse("journal:import_confirm"))
    assert DailyEntry.objects.filter(patient=world.alice, day__month=10).count() == 3
    assert DoseLog.objects.get(patient=world.alice, day="2026-10-02").status == "missed"
    after_first = row_counts()

    page = upload(client, "mine.csv", OURS, "ours").content.decode()
    assert "Nothing new" in page and "Import 3 days" not in page
    assert reverse("journal:import_confirm") not in page  # no import button
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
    assert schema_problems(doc) == []
    before = row_counts()
    page = upload(client, "again.csv", archive.read("journal.csv"), "ours").content.decode()
    assert "Nothing new" in page
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


# --- the upload recognises its file; the preview and the result survive a reload ------------


def test_the_upload_page_says_which_format_it_found(client, world):
    client.force_login(world.alice)
    page = upload(client, "fd.csv", (FIXTURES / "flaredown_good.csv").read_bytes())
    assert "Format found: <strong>Flaredown CSV export</strong>" in page.content.decode()


def test_a_bearable_file_sent_as_ours_gets_one_message_naming_bearable(client, world):
    client.force_login(world.alice)
    before = row_counts()
    page = upload(client, "b.csv", (FIXTURES / "bearable_good.csv").read_bytes(), "ours")
    text = page.content.decode()
    assert "This file looks like a Bearable CSV export, not the format chosen" in text
    assert "Format found: <strong>Bearable CSV export</strong>" in text
    assert "Problems found (1)" in text
    assert row_counts() == before


def test_the_preview_and_the_result_survive_a_reload(client, world):
    client.force_login(world.alice)
    first = upload(client, "mine.csv", OURS, "ours")
    assert first.redirect_chain == [(reverse("journal:import_preview"), 302)]
    again = client.get(reverse("journal:import_preview")).content.decode()
    assert "Import 3 days" in again
    done = client.post(reverse("journal:import_confirm"), follow=True)
    assert done.redirect_chain == [(reverse("journal:import_result"), 302)]
    reloaded = client.get(reverse("journal:import_result")).content.decode()
    assert "Imported mine.csv: 3 new days, 0 updated, 0 already up to date." in reloaded


def test_other_medications_from_flaredown_are_stored_and_exported(client, world):
    client.force_login(world.alice)
    upload(client, "fd.csv", (FIXTURES / "flaredown_good.csv").read_bytes())
    client.post(reverse("journal:import_confirm"))
    stored = OtherDose.objects.filter(patient=world.alice, name="Ibuprofen")
    assert stored.count() >= 1
    assert stored.order_by("day").first().amount == "200mg"
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("journal:export")).content))
    doc = json.loads(archive.read("ldn-companion-export.json"))
    day = next(d for d in doc["days"] if d["date"] == "2021-03-01")
    assert {"name": "Ibuprofen", "status": "taken", "amount": "200mg", "time": None} in day[
        "other_doses"
    ]


# --- unconfirmed uploads are deleted after 24 hours ------------------------------------------


def test_an_unconfirmed_upload_is_deleted_after_24_hours(client, world):
    import datetime as dt
    import os

    from django.utils import timezone

    from ldn.web.journal.transfer import pending_upload_files, purge_pending_uploads

    client.force_login(world.alice)
    upload(client, "mine.csv", OURS, "ours")
    (path,) = pending_upload_files(world.alice)
    assert path.read_bytes() == OURS
    now = timezone.now()
    assert purge_pending_uploads(now + dt.timedelta(hours=23)) == 0
    assert purge_pending_uploads(now + dt.timedelta(hours=25)) == 1
    assert pending_upload_files(world.alice) == []
    # an expired preview says so instead of importing
    response = client.post(reverse("journal:import_confirm"), follow=True)
    assert "That import has expired or was already saved." in response.content.decode()
    # and any page of the import purges old files too (the worker also runs it hourly)
    upload(client, "mine.csv", OURS, "ours")
    (path,) = pending_upload_files(world.alice)
    old = (now - dt.timedelta(hours=25)).timestamp()
    os.utime(path, (old, old))
    client.get(reverse("journal:import"))
    assert pending_upload_files(world.alice) == []


def test_the_purge_task_deletes_old_uploads(world, settings):
    import os
    import time

    from ldn.web.journal.tasks import purge_unconfirmed_uploads
    from ldn.web.journal.transfer import _pending_dir, pending_upload_files

    folder = _pending_dir(world.alice)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "old").write_bytes(b"date\n")
    (folder / "new").write_bytes(b"date\n")
    old = time.time() - 25 * 3600
    os.utime(folder / "old", (old, old))
    assert purge_unconfirmed_uploads.call_local() == 1
    assert [p.name for p in pending_upload_files(world.alice)] == ["new"]


# --- bad input: one clear message, no 500, nothing written -----------------------------------

BAD_FILES = {
    "nul byte": (b"date,notes\n2026-10-01,a\x00b\n", "the file contains a NUL byte"),
    "symptom name over 80": (
        b"date,symptom:" + b"P" * 81 + b"\n2026-10-01,3\n",
        "a symptom name must be at most 80 characters, got 81",
    ),
    "notes over 10000": (
        b"date,notes\n2026-10-01," + b"n" * 10_001 + b"\n",
        "notes must be at most 10000 characters, got 10,001",
    ),
    "json null": (b"null", "the top level must be an object holding an export, got null"),
    "json list": (b"[]", "the top level must be an object holding an export, got list"),
    "json 10,000 levels": (b"[" * 10_000 + b"]" * 10_000, "the JSON nests too deeply"),
    "year 1": (b"date,notes\n0001-01-01,x\n", "date must be on or after 1900-01-01"),
    "31 new symptoms": (
        (
            "date," + ",".join(f"symptom:S{i}" for i in range(31)) + "\n2026-10-01" + ",1" * 31
        ).encode(),
        "the file would add 31 new symptoms; at most 30 may be added by one file",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_input_is_one_clear_message_and_writes_nothing(client, world, case):
    data, message = BAD_FILES[case]
    client.force_login(world.alice)
    before = row_counts()
    page = upload(client, "bad.dat", data).content.decode()
    assert "Nothing was imported" in page
    assert message in page.replace("&#x27;", "'")
    client.post(reverse("journal:import_confirm"), follow=True)
    assert row_counts() == before


def test_the_csv_export_escapes_formulas_and_reads_them_back_unchanged(client, world):
    world.entry.notes = '=HYPERLINK("http://evil.example","x")'
    world.entry.tags = ["+cmd", "-5"]
    world.entry.save()
    client.force_login(world.alice)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("journal:export")).content))
    text = archive.read("journal.csv").decode()
    assert '"\'=HYPERLINK(""http://evil.example"",""x"")"' in text
    assert ",'+cmd;-5," in text
    page = upload(client, "journal.csv", archive.read("journal.csv")).content.decode()
    assert "Nothing new" in page  # the escaped cells read back as the stored text
