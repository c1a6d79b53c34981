"""Huey tasks (found by the consumer's autodiscovery of `tasks` modules): push reminders."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ldn.web.accounts import clock
from ldn.web.push import reminders


@db_periodic_task(crontab(minute="*/5"))
def send_push_reminders() -> int:
    """Every 5 minutes: bedtime reminders, snoozes and morning follow-ups that are due; each
    device gets each once (ldn.web.push.reminders says how)."""
    return reminders.send_due(clock.now())


@db_task()
def send_push_reminders_now() -> int:
    """The same work on request (a test enqueueing it twice, or `ldn worker --once`)."""
    return reminders.send_due(clock.now())
