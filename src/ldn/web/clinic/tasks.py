"""Huey tasks (autodiscovered): refresh the date-dependent flags early each day, so the first
look at the patient list in the morning does not pay for it."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ldn.web.clinic import flags


@db_periodic_task(crontab(minute="5"))
def refresh_flags() -> int:
    """Every hour at :05: rows computed on an earlier day (adherence window, new side effects)."""
    return flags.refresh_dated()
