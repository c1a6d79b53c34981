"""One change event, `journal_changed`: every write path sends it, insights and the clinic
hear it. An import through the pages (bulk writes, which send no post_save) reaches both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ldn.web.clinic.models import PatientFlags
from ldn.web.journal import services
from ldn.web.journal.models import DailyEntry
from ldn.web.journal.signals import journal_changed
from tests.web.test_transfer import OURS, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def heard():
    """The patient ids the event carried, in order."""
    ids: list[int] = []

    def listen(sender, patient_id, **kwargs):
        ids.append(patient_id)

    journal_changed.connect(listen, dispatch_uid="test-listener")
    yield ids
    journal_changed.disconnect(dispatch_uid="test-listener")


def test_insights_and_the_clinic_listen_to_the_one_event():
    uids = {key[0] for key, *_ in journal_changed.receivers}
    assert {"clinic-flags", "insights-warm-up"} <= uids


def test_an_import_through_the_pages_marks_the_clinic_flags_stale(client, world, heard):
    client.force_login(world.bob)
    client.get(reverse("clinic:patients"))  # bob's list computes alice's row
    assert not PatientFlags.objects.get(patient=world.alice).stale
    client.force_login(world.alice)
    upload(client, "mine.csv", OURS, "ours")
    with pytest.MonkeyPatch.context() as mp:
        # keep the after-commit refresh from running, so the stale mark stays visible
        mp.setattr("ldn.web.clinic.flags._refresh_shared", lambda ids: None)
        client.post(reverse("journal:import_confirm"))
    assert DailyEntry.objects.filter(patient=world.alice, day__month=10).count() == 3
    assert world.alice.pk in heard
    assert PatientFlags.objects.get(patient=world.alice).stale


def test_a_deleted_entry_is_announced(world, heard):
    services.delete_entry(world.entry, by=world.alice)
    assert heard == [world.alice.pk]
