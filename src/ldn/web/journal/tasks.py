"""Journal housekeeping run by the worker."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import periodic_task

from ldn.web.journal.pending import purge_pending_uploads


@periodic_task(crontab(minute="17"))
def purge_unconfirmed_uploads() -> int:
    """Delete uploaded import files nobody confirmed within 24 hours (also done on each upload
    page)."""
    return purge_pending_uploads(timezone.now())
