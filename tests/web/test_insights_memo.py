"""The insights memo under load: one computation per set of inputs (single flight), and every
write that changes the inputs shows on the next page (check-in, import), also in the clinician's
list (likely worse)."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from ldn.web.accounts.clock import local_today
from ldn.web.clinic import flags, integrations
from ldn.web.insights import services, tasks
from ldn.web.journal.demo import create_demo_patient
from ldn.web.journal.models import Symptom, SymptomRating

pytestmark = pytest.mark.django_db


def _flight_key(patient_id: int, kind: str) -> str:
    return f"ldn-insights:{patient_id}:{kind}:computing"


def _digest(kind: str, parts: list[bytes]) -> str:
    digest = hashlib.sha256(f"{services.MEMO_VERSION}:{kind}".encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@override_settings(CACHES=LOCMEM)  # an atomic add, as Redis's (the file cache's is not)
def test_two_processes_missing_the_same_inputs_compute_them_once() -> None:
    cache.clear()
    calls: list[int] = []
    results: list[object] = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.3)
        return "the result"

    def ask() -> None:
        results.append(services.memo(9001, "triggers", [b"same inputs"], slow))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["the result"] * 3
    assert len(calls) == 1
    assert cache.get(_flight_key(9001, "triggers")) is None  # the mark ends with the flight


def test_other_inputs_in_flight_do_not_make_a_page_wait(monkeypatch) -> None:
    cache.clear()
    cache.set(_flight_key(9002, "triggers"), _digest("triggers", [b"older inputs"]), 30)
    monkeypatch.setattr(services, "FLIGHT_WAIT_SECONDS", 60.0)
    t0 = time.monotonic()
    value = services.memo(9002, "triggers", [b"newer inputs"], lambda: "computed")
    assert value == "computed"
    assert time.monotonic() - t0 < 5
    # the other flight's mark is theirs: left in place
    assert cache.get(_flight_key(9002, "triggers")) == _digest("triggers", [b"older inputs"])


def test_a_flight_that_never_lands_is_computed_after_the_wait(monkeypatch) -> None:
    cache.clear()
    parts = [b"inputs"]
    cache.set(_flight_key(9003, "triggers"), _digest("triggers", parts), 30)  # a crashed worker
    monkeypatch.setattr(services, "FLIGHT_WAIT_SECONDS", 0.2)
    assert services.memo(9003, "triggers", parts, lambda: "computed here") == "computed here"
    assert cache.get("ldn-insights:9003:triggers")[1] == "computed here"


@pytest.mark.parametrize("days_back", [0, 1])
def test_only_a_change_to_a_whole_day_recomputes_the_insights(client, monkeypatch, days_back):
    """The analyses count whole days (`counted_diary`): today's check-in, however often it is
    saved, recomputes nothing and the page says today joins tomorrow; a change to yesterday
    recomputes once and shows on the next page."""
    cache.clear()
    user, _ = create_demo_patient(date.today())
    assert tasks.warm_up.call_local(user.pk) is True
    client.force_login(user)
    before = client.get(reverse("insights:dashboard")).content.decode()
    computed = []
    real = services.findings
    monkeypatch.setattr(services, "findings", lambda *a, **k: computed.append(1) or real(*a, **k))
    symptom = Symptom.objects.filter(patient=user, active=True).order_by("position").first()
    yesterday = local_today(user) - timedelta(days=1)
    day = local_today(user) - timedelta(days=days_back)
    for score in ("10", "0"):
        response = client.post(
            reverse("journal:checkin_day", kwargs={"day": day}),
            {f"symptom_{symptom.pk}": score, "dose_status": "none", "sleep_hours": "3"},
        )
        assert response.status_code == 302
        after = client.get(reverse("insights:dashboard")).content.decode()
    if days_back == 0:
        assert computed == []
        assert f"Counted up to yesterday, {yesterday:%-d %b %Y}." in after
        assert "joins the analysis tomorrow" in after and "joins the analysis" not in before
    else:
        assert computed == [1, 1]  # each save changed a whole day: computed again, once each
        assert after != before


def test_an_import_shows_on_the_next_insights_page(client) -> None:
    cache.clear()
    user, _ = create_demo_patient(date.today())
    client.force_login(user)
    client.get(reverse("insights:dashboard"))
    kept = cache.get(f"ldn-insights:{user.pk}:page-0")[0]
    today = local_today(user)
    SymptomRating.objects.filter(entry__patient=user, entry__day__gte=today - timedelta(30)).update(
        score=10
    )  # as a bulk import writes: no row signals
    client.get(reverse("insights:dashboard"))
    assert cache.get(f"ldn-insights:{user.pk}:page-0")[0] != kept


def _worsen(user, symptom: Symptom) -> None:
    """Every day on LDN scored 10 for one symptom (the demo's baseline is milder)."""
    diary_first = (
        SymptomRating.objects.filter(entry__patient=user, symptom=symptom)
        .order_by("entry__day")
        .values_list("entry__day", flat=True)
        .first()
    )
    SymptomRating.objects.filter(
        symptom=symptom, entry__day__gte=diary_first + timedelta(days=35)
    ).update(score=10)


def test_the_clinicians_likely_worse_flag_agrees_with_the_verdicts_and_follows_changes() -> None:
    cache.clear()
    user, _ = create_demo_patient(date.today())
    today = local_today(user)
    tasks.warm_up.call_local(user.pk)
    found, _ = integrations.verdicts(user)
    assert integrations.likely_worse(user, today) == [
        v.symptom for v in found if v.verdict == "likely_worse"
    ]
    symptom = Symptom.objects.filter(patient=user, active=True).order_by("position").first()
    _worsen(user, symptom)
    found, _ = integrations.verdicts(user)
    worse = [v.symptom for v in found if v.verdict == "likely_worse"]
    assert symptom.name in worse
    assert integrations.likely_worse(user, today) == worse
    row = flags.compute([user.pk], today, full=[user.pk])[0]
    assert row.likely_worse == worse and row.has_likely_worse


def test_a_transaction_that_changes_a_diary_many_times_queues_one_warm_up(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from django.db import transaction

    from ldn.web.journal.signals import journal_changed

    queued: list[int] = []
    monkeypatch.setattr(tasks, "warm_up", queued.append)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(3):  # as an import does, once per row
            journal_changed.send(sender=None, patient_id=41)
        journal_changed.send(sender=None, patient_id=42)
        try:
            with transaction.atomic():
                journal_changed.send(sender=None, patient_id=43)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert sorted(queued) == [41, 42]  # 43's change was rolled back: nothing to warm up


def test_an_import_queues_one_warm_up(client, django_capture_on_commit_callbacks, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ldn.interop import write_json
    from ldn.web.accounts.models import User
    from ldn.web.journal.bundle import export_bundle

    demo, _ = create_demo_patient(date.today())
    data = write_json(export_bundle(demo)).encode()
    user = User.objects.create_user("importer", password="x-long-passphrase-1", role="patient")
    client.force_login(user)
    upload = SimpleUploadedFile("export.json", data, content_type="application/json")
    assert client.post("/journal/import/", {"format": "auto", "file": upload}).status_code == 302
    assert client.get("/journal/import/preview/").status_code == 200
    queued: list[int] = []
    monkeypatch.setattr(tasks, "warm_up", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/journal/import/confirm/")
    assert response.url == "/journal/import/result/"
    # once per atomic block that wrote (the diary's rows, then the records around them), not
    # once per row written (26 for this import before)
    assert set(queued) == {user.pk} and len(queued) <= 2
    assert services.build_dashboard(user, local_today(user)).report is not None


def test_the_dashboard_card_shows_the_insights_pages_own_forecast_rows(client) -> None:
    cache.clear()
    user, _ = create_demo_patient(date.today())
    today = local_today(user)
    card = services.know_rows(user, today)
    assert card and card == services.build_dashboard(user, today).know
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert all(row.symptom in page for row in card)
