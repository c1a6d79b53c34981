"""Deleting an account removes everything of it, in the database and outside it.

In the database, in one transaction: the user row and every table that cascades from it (journal,
doses, medications, plans, questionnaires, reminders and their outbox, shares, invitations,
clinician notes about the patient, the patient's access log, two-factor devices, admin log),
plus the rows that name the account without a foreign key: its sessions on every device and the
login records of django-axes (attempts, access and failure logs, matched by username).

Outside the database, after the commit: unconfirmed uploads in the data folder, cached analysis
results (the cache the web and the worker share) and tasks still waiting in the queue for the
patient. docs/privacy.md says what goes and why the access log goes with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage, SqliteStorage

from ldn.web.accounts.models import User
from ldn.web.insights import services as insights
from ldn.web.insights.tasks import warm_up
from ldn.web.journal.pending import delete_pending_uploads

# Queue tasks whose only argument is a patient's id.
PATIENT_TASKS = (warm_up.task_class,)


@dataclass(frozen=True)
class Deleted:
    """What went besides the cascade: counts for the log and the tests."""

    sessions: int
    login_records: int
    pending_uploads: int
    queued_tasks: int


def delete_account(user: User) -> Deleted:
    patient_id, username = user.pk, user.get_username()
    with transaction.atomic():
        sessions = end_sessions(patient_id)
        login_records = sum(
            model.objects.filter(username=username).delete()[0]
            for model in (AccessAttempt, AccessLog, AccessFailureLog)
        )
        user.delete()
    uploads = delete_pending_uploads(patient_id)
    insights.forget(patient_id)
    tasks = drop_queued_tasks(patient_id)
    return Deleted(sessions, login_records, uploads, tasks)


def end_sessions(user_id: int) -> int:
    """Delete the account's sessions on every device (a session row names its user inside),
    through the session engine, so a cached copy goes with the row."""
    mine = [
        s.session_key
        for s in Session.objects.iterator()
        if s.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in mine:
        store(session_key=key).delete()
    return len(mine)


def drop_queued_tasks(patient_id: int) -> int:
    """Remove the patient's tasks from the queue and the schedule (SQLite or Redis)."""
    storage = HUEY.storage
    dropped = 0
    for scheduled, items in (
        (False, storage.enqueued_items()),
        (True, storage.scheduled_items()),
    ):
        for data in items:
            task = HUEY.deserialize_task(data)
            if isinstance(task, PATIENT_TASKS) and tuple(task.args) == (patient_id,):
                _remove(storage, data, scheduled)
                dropped += 1
    return dropped


def _remove(storage: object, data: bytes, scheduled: bool) -> None:
    if isinstance(storage, SqliteStorage):
        table = "schedule" if scheduled else "task"
        storage.sql(
            f"delete from {table} where queue = ? and data = ?",  # noqa: S608 - fixed names
            (storage.name, storage.to_blob(data)),
            commit=True,
        )
    elif isinstance(storage, RedisStorage):
        if scheduled:
            storage.conn.zrem(storage.schedule_key, data)
        else:
            storage.conn.lrem(storage.queue_key, 0, data)
    else:
        raise TypeError(f"cannot remove a task from a {type(storage).__name__} queue")
