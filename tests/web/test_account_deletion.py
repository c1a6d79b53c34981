"""Deleting an account leaves nothing of it: every table, the data folder, the cache, the queue.

alice gets data in every table that can hold something of hers (the test fails when a new
table is not seeded here), signs in on two devices, fails a login, leaves an upload unconfirmed,
has a cached analysis and a queued task. Then she deletes her account through the page, and
every table (all models, auto-created ones too, and every table the database lists) and the data
folder are compared before and after.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from huey.contrib.djhuey import HUEY

from ldn.web.accounts.models import User
from ldn.web.clinic.models import (
    AuditEvent,
    ClinicianNote,
    FollowUpOutcome,
    PatientFlags,
    TemporaryPassword,
)
from ldn.web.insights import services as insights
from ldn.web.insights.models import SheetView, Trial
from ldn.web.insights.tasks import warm_up
from ldn.web.journal.models import DoseLog, EntryRevision, OtherDose
from ldn.web.push import reminders as push_reminders
from ldn.web.push.models import PushReminder, PushSubscription
from ldn.web.therapy import reminders
from ldn.web.therapy.models import Acknowledgement, SentReminder, UsedTakenLink
from tests.conftest import PASSWORD
from tests.web import authz, insights_helpers, living_helpers, therapy_helpers
from tests.web.test_transfer import OURS, upload

pytestmark = pytest.mark.django_db
MARK = "only-alice-wrote-this"


def _user_lookups(model: type[models.Model]) -> list[str]:
    """Lookups that reach the user from `model`: its own foreign keys, or one hop further."""
    out = []
    for field in model._meta.fields:
        if not field.is_relation or field.related_model is None:
            continue
        if field.related_model is User:
            out.append(field.name)
        else:
            out += [
                f"{field.name}__{f.name}"
                for f in field.related_model._meta.fields
                if f.is_relation and f.related_model is User
            ]
    return out


def rows_of(user_id: int, username: str) -> dict[str, int]:
    """Per table, the rows that name the user: by a foreign key, by username, or inside a session."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.db_table
        if model is User:
            out[label] = User.objects.filter(pk=user_id).count()
        elif model is Session:
            out[label] = sum(
                s.get_decoded().get("_auth_user_id") == str(user_id)
                for s in Session.objects.iterator()
            )
        elif model in (AccessAttempt, AccessLog, AccessFailureLog):
            out[label] = model.objects.filter(username=username).count()
        elif model is AccessAttemptExpiration:
            out[label] = model.objects.filter(access_attempt__username=username).count()
        elif lookups := _user_lookups(model):
            query = models.Q()
            for lookup in lookups:
                query |= models.Q(**{lookup: user_id})
            out[label] = model._default_manager.filter(query).count()
    return out


def table_sizes() -> dict[str, int]:
    return {
        m._meta.db_table: m._default_manager.count()
        for m in apps.get_models(include_auto_created=True)
    }


def data_files() -> set[str]:
    root = Path(settings.DATA_DIR)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _everything_for_alice(world, client: Client) -> None:
    alice, bob = world.alice, world.bob
    plan = therapy_helpers.give_plan(alice)
    therapy_helpers.alice_finding_pk(world)  # medication, screening, finding
    therapy_helpers.alice_medication_pk(world)
    Acknowledgement.objects.create(
        patient=alice, input_key="ibuprofen", rule="r", note=MARK, acknowledged_by=alice
    )
    DoseLog.objects.create(patient=alice, day=dt.date(2026, 11, 1), status="taken")
    OtherDose.objects.create(patient=alice, day=dt.date(2026, 11, 1), name="Ibuprofen", amount=MARK)
    living_helpers.seed_living(alice, bob, plan_version=plan)
    EntryRevision.objects.create(patient=alice, day=dt.date(2026, 11, 1), action="created")
    reminders.settings_for(alice)
    follow_up = alice.follow_ups.create(when=timezone.now(), note=MARK, created_by=bob)
    FollowUpOutcome.objects.create(follow_up=follow_up, patient=alice, recorded_by=bob)
    SentReminder.objects.create(patient=alice, kind="missed_dose", day=dt.date(2026, 11, 1))
    UsedTakenLink.objects.create(patient=alice, digest="d" * 64, day=dt.date(2026, 11, 1))
    device = PushSubscription.objects.get(pk=authz._alice_push_device_pk(world))
    PushReminder.objects.create(device=device, kind="bedtime", night=dt.date(2026, 11, 1))
    push_reminders.settings_for(alice)
    trial = Trial.objects.get(pk=insights_helpers.alice_trial_pk(world))  # and its allocation
    SheetView.objects.create(trial=trial, link_issued=MARK)
    authz._alice_invitation_pk(world)
    alice.visit_questions.create(text=MARK)
    AuditEvent.objects.create(patient=alice, actor=bob, actor_name="Dr Bob", area="journal")
    ClinicianNote.objects.create(patient=alice, author=bob, text=MARK)
    PatientFlags.objects.create(patient=alice, display_name="alice")
    LogEntry.objects.create(user=alice, action_flag=1, object_repr=MARK)
    alice.groups.add(Group.objects.create(name="patients"))
    alice.user_permissions.add(Permission.objects.first())

    # Two devices signed in; a failed and a good login recorded by django-axes.
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    Client().force_login(alice)
    Client().post(reverse("login"), {"username": "alice", "password": "wrong"})
    # Tables these settings leave empty, filled as other settings would.
    AccessFailureLog.objects.create(username="alice", ip_address="127.0.0.1", locked_out=False)
    AccessAttemptExpiration.objects.create(
        access_attempt=AccessAttempt.objects.get(username="alice"), expires_at=timezone.now()
    )
    # An upload previewed and never confirmed; a cached analysis; a queued warm-up.
    page = upload(client, "mine.csv", OURS, "ours")
    assert page.status_code == 200 and "Nothing was imported" not in page.content.decode(), page
    TOTPDevice.objects.create(user=alice, name="phone")  # after: it asks the client for 2FA
    StaticDevice.objects.create(user=alice, name="backup").token_set.create(token="12345678")
    TemporaryPassword.objects.create(user=alice, password_hash="no longer hers")  # a clinician's
    insights.memo(alice.pk, "triggers", [MARK.encode()], lambda: MARK)
    HUEY.flush()
    warm_up(alice.pk)
    warm_up(world.mallory.pk)


def test_deleting_an_account_removes_everything_of_it(client, world, capsys):
    alice_id = world.alice.pk
    files_before = data_files()
    _everything_for_alice(world, client)
    mine_before = rows_of(alice_id, "alice")
    sizes_before = table_sizes()
    files_seeded = data_files() - files_before
    unseeded = sorted(label for label, n in mine_before.items() if n == 0)
    assert unseeded == [], f"seed these tables with alice's data: {unseeded}"
    assert cache.get(f"ldn-insights:{alice_id}:triggers") is not None
    assert any(f.startswith(f"pending-imports/{alice_id}/") for f in files_seeded), files_seeded
    assert [t.args for t in HUEY.pending()] == [(alice_id,), (world.mallory.pk,)]

    response = client.post(reverse("delete_account"), {"password": PASSWORD})

    assert response.status_code == 302
    mine_after = rows_of(alice_id, "alice")
    sizes_after = table_sizes()
    with capsys.disabled():
        print(f"\n{'table':40} {'rows':>6} {'alice':>6} -> {'rows':>6} {'alice':>6}")
        for label in sorted(sizes_before):
            print(
                f"{label:40} {sizes_before[label]:6} {mine_before.get(label, 0):6} -> "
                f"{sizes_after[label]:6} {mine_after.get(label, 0):6}"
            )
        print(f"data folder: {len(files_seeded)} files of alice's before, gone after: "
              f"{sorted(files_seeded - data_files())}")  # fmt: skip
    assert {label: n for label, n in mine_after.items() if n} == {}
    # Nothing of anybody else went with her.
    assert {
        label: sizes_before[label] - sizes_after[label]
        for label in sizes_before
        if sizes_before[label] != sizes_after[label]
    } == {label: n for label, n in mine_before.items() if n}
    # Every table the database has is one the scan above looked at.
    modelled = set(sizes_before) | {"django_migrations"}
    assert set(connection.introspection.table_names()) - modelled == set()
    # The data folder, the cache and the queue hold nothing of hers.
    assert {
        f for f in files_seeded & data_files() if f.startswith(("pending-imports", "cache"))
    } == set()
    assert not any(f.startswith(f"pending-imports/{alice_id}/") for f in data_files())
    assert cache.get(f"ldn-insights:{alice_id}:triggers") is None
    assert [t.args for t in HUEY.pending()] == [(world.mallory.pk,)]
    HUEY.flush()


def test_a_wrong_password_deletes_nothing(client, world):
    client.force_login(world.alice)
    before = rows_of(world.alice.pk, "alice")
    page = client.post(reverse("delete_account"), {"password": "nope"}).content.decode()
    assert "That is not your password; nothing was deleted." in page
    assert rows_of(world.alice.pk, "alice") == before
