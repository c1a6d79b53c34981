"""The installable app: manifest, service worker, icons."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_is_served_as_a_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/dashboard/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert (data["name"], data["short_name"]) == ("LDN Companion", "LDN")
    assert data["theme_color"] == "#1d5c63"


def test_the_manifest_icons_are_pngs_of_the_sizes_they_claim():
    from ldn.web.pwa.views import manifest_data

    purposes = set()
    for icon in manifest_data()["icons"]:  # type: ignore[union-attr]
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        purposes.add(icon.get("purpose", "any"))
    assert purposes == {"any", "maskable"}


def test_every_page_links_the_manifest_and_the_apple_touch_icon(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<link rel="apple-touch-icon" href="/static/pwa/apple-touch-icon.png">' in html
    assert '<meta name="color-scheme" content="light dark">' in html


def test_the_service_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert b'addEventListener("fetch"' in response.content


def test_the_worker_loads_the_push_handlers_only_when_the_file_exists(client, monkeypatch):
    from ldn.web.pwa import views

    monkeypatch.setattr(views, "PUSH_HANDLERS", "ldn/icon.svg")  # a file that exists
    assert b'importScripts("/static/ldn/icon.svg")' in client.get("/sw.js").content
    monkeypatch.setattr(views, "PUSH_HANDLERS", "push/not-there.js")
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert b"not-there" not in response.content


def test_the_policy_lets_the_page_load_its_manifest_and_worker(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "manifest-src 'self'" in policy
    assert "worker-src 'self'" in policy


# --- A check-in sent later by the offline queue ---------------------------------------------

KEY = "6f1c7c2e-8d3a-4f7e-9a51-2b0c4d5e6f70"
DAY = "2026-11-03"


def queued(client, patient, **data):
    """POST as static/pwa/queue.js does: the queue header, the account's key, the device key."""
    from ldn.web.pwa.views import user_key

    body = {
        "dose_status": "missed",
        "sleep_hours": "6.5",
        "client_key": KEY,
        "based_on": "",
        "ldn_user": user_key(patient),
        **data,
    }
    response = client.post(f"/journal/checkin/{DAY}/", body, headers={"X-LDN-Queue": "1"})
    assert response["Content-Type"] == "application/json"
    return response.json()


def revisions(patient):
    from ldn.web.journal.models import EntryRevision

    return EntryRevision.objects.filter(patient=patient).count()


def test_a_check_in_sent_twice_is_saved_once(client, world):
    from ldn.web.journal.models import DailyEntry
    from ldn.web.pwa.models import OfflineCheckin

    client.force_login(world.mallory)
    first = queued(client, world.mallory)
    second = queued(client, world.mallory)
    assert (first["outcome"], second["outcome"]) == ("saved", "duplicate")
    assert first["message"] == (
        "Saved your check-in for Tuesday 3 November, made on this device while offline."
    )
    assert float(DailyEntry.objects.get(patient=world.mallory).sleep_hours) == 6.5
    assert revisions(world.mallory) == 1
    assert OfflineCheckin.objects.get(patient=world.mallory).outcome == "saved"


def test_a_day_saved_elsewhere_meanwhile_is_not_overwritten(client, world):
    from ldn.web.journal.models import DailyEntry
    from ldn.web.pwa.models import OfflineCheckin

    client.force_login(world.mallory)
    client.post(f"/journal/checkin/{DAY}/", {"dose_status": "taken", "dose_mg": "1.5"})
    answer = queued(client, world.mallory)  # made offline when the day was still empty
    assert answer["outcome"] == "conflict"
    assert answer["url"] == f"/journal/checkin/{DAY}/"
    assert DailyEntry.objects.get(patient=world.mallory).sleep_hours is None
    assert revisions(world.mallory) == 1
    assert not OfflineCheckin.objects.exists()


def test_the_patient_sees_both_versions_and_can_keep_the_offline_one(client, world):
    from ldn.web.journal import services
    from ldn.web.journal.models import DailyEntry

    client.force_login(world.mallory)
    client.post(f"/journal/checkin/{DAY}/", {"dose_status": "taken", "dose_mg": "1.5"})
    mine = {"dose_status": "missed", "sleep_hours": "6.5", "client_key": KEY, "based_on": ""}
    page = client.post(f"/journal/checkin/{DAY}/", mine)
    assert page.status_code == 409
    html = page.content.decode()
    assert "Two versions of Tuesday 3 November" in html
    assert '<th scope="row">LDN dose</th><td>Taken</td><td>Missed' in html
    assert '<th scope="row">Hours slept</th><td>—</td><td>6.5' in html
    current = services.day_version(world.mallory, dt.date(2026, 11, 3))
    assert f'<input type="hidden" name="based_on" value="{current}">' in html

    client.post(f"/journal/checkin/{DAY}/", {**mine, "based_on": current})
    assert float(DailyEntry.objects.get(patient=world.mallory).sleep_hours) == 6.5
    assert queued(client, world.mallory)["outcome"] == "duplicate"  # the queue's copy: not again
    assert revisions(world.mallory) == 2


def test_keeping_the_saved_version_sets_the_offline_one_aside(client, world):
    from ldn.web.journal.models import DailyEntry
    from ldn.web.pwa.models import OfflineCheckin

    client.force_login(world.mallory)
    client.post(f"/journal/checkin/{DAY}/", {"dose_status": "taken", "dose_mg": "1.5"})
    client.post(f"/offline/keep-saved/{DAY}/", {"client_key": KEY})
    assert OfflineCheckin.objects.get(patient=world.mallory).outcome == "discarded"
    assert queued(client, world.mallory)["outcome"] == "discarded"
    assert DailyEntry.objects.get(patient=world.mallory).sleep_hours is None
    assert revisions(world.mallory) == 1


def test_a_check_in_kept_for_another_account_is_not_saved_into_this_one(client, world):
    from ldn.web.journal.models import DailyEntry
    from ldn.web.pwa.views import user_key

    client.force_login(world.mallory)
    answer = queued(client, world.mallory, ldn_user=user_key(world.alice))
    assert answer["outcome"] == "other_account"
    assert not DailyEntry.objects.filter(patient=world.mallory).exists()


def test_a_queued_check_in_with_a_bad_answer_is_kept_for_the_patient_to_fix(client, world):
    from ldn.web.journal.models import DailyEntry

    client.force_login(world.mallory)
    answer = queued(client, world.mallory, sleep_hours="30")
    assert answer["outcome"] == "invalid"
    assert not DailyEntry.objects.filter(patient=world.mallory).exists()


def test_each_users_pages_are_marked_with_their_own_key(client, world):
    from ldn.web.pwa.views import user_key

    assert client.get("/")["X-LDN-User"] == ""
    client.force_login(world.mallory)
    assert client.get("/")["X-LDN-User"] == user_key(world.mallory)
    assert user_key(world.mallory) != user_key(world.alice)
