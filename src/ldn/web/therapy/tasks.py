"""Huey tasks (found by the consumer's autodiscovery of `tasks` modules): reminder e-mails."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ldn.web.therapy import reminders


@db_periodic_task(crontab(minute="*/15"))
def send_reminders() -> int:
    """Every 15 minutes: missed-dose, follow-up and thyroid-tests e-mails that are due; each goes
    out once."""
    return reminders.send_due_reminders()


@db_task()
def send_reminders_now() -> int:
    """The same work on request (e.g. `ldn worker --once` or a test enqueueing it twice)."""
    return reminders.send_due_reminders()
