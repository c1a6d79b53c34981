"""Every clinician read through the access module is logged; the log is append-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ldn.web.clinic.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def test_a_clinician_reading_a_record_writes_who_what_and_when(client, world):
    client.force_login(world.bob)
    client.get(reverse("journal:entry", args=[world.entry.pk]))
    event = AuditEvent.objects.get(patient=world.alice)
    assert event.actor == world.bob and event.actor_name == "bob"
    assert event.area == "journal" and event.what == f"daily entry {world.entry.pk}"
    assert event.at is not None


def test_the_patient_reading_their_own_record_is_not_logged(client, world):
    client.force_login(world.alice)
    client.get(reverse("journal:entry", args=[world.entry.pk]))
    client.get(reverse("clinic:report", args=[world.alice.pk]))
    assert not AuditEvent.objects.exists()


def test_refused_reads_are_not_logged_as_reads(client, world):
    for user in (world.charlie, world.dave, world.mallory):
        client.force_login(user)
        client.get(reverse("clinic:patient", args=[world.alice.pk]))
    assert not AuditEvent.objects.exists()


def test_the_patient_reads_their_access_log(client, world):
    client.force_login(world.bob)
    client.get(reverse("clinic:patient", args=[world.alice.pk]))
    client.force_login(world.alice)
    page = client.get(reverse("clinic:access_log")).content.decode()
    assert (
        "bob" in page
        and "patient overview (analysis, journal, medications, plan, questionnaires)" in page
    )
    client.force_login(world.mallory)
    assert "bob" not in client.get(reverse("clinic:access_log")).content.decode()


def test_the_patient_list_logs_each_patient_it_shows(client, world):
    client.force_login(world.bob)
    client.get(reverse("clinic:patients"))
    assert AuditEvent.objects.filter(patient=world.alice, action="list", actor=world.bob).exists()


def test_an_audit_row_cannot_be_changed_or_deleted(world):
    event = AuditEvent.objects.create(
        patient=world.alice, actor=world.bob, actor_name="bob", area="journal", what="x"
    )
    event.what = "nothing to see"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(what="edited")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).what == "x"
