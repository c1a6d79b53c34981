"""Uploaded files waiting for the patient to confirm an import: one folder per patient.

A file stays here between the preview and the confirm step only. Keeping each patient's files in
their own folder is what lets account deletion remove them all, whichever session uploaded them.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from django.conf import settings

from ldn.web.accounts.models import User

PENDING_MAX_AGE = dt.timedelta(hours=24)


def pending_root() -> Path:
    return Path(settings.DATA_DIR) / "pending-imports"


def pending_upload_dir(patient: User) -> Path:
    path = pending_root() / str(patient.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def delete_pending_uploads(patient_id: int) -> int:
    """Remove every unconfirmed upload of a patient (at account deletion). Returns files removed."""
    path = pending_root() / str(patient_id)
    if not path.is_dir():
        return 0
    count = sum(1 for p in path.iterdir() if p.is_file())
    shutil.rmtree(path)
    return count


def purge_pending_uploads(now: dt.datetime, max_age: dt.timedelta = PENDING_MAX_AGE) -> int:
    """Delete every unconfirmed upload older than `max_age`; returns how many were deleted."""
    root = pending_root()
    deleted = 0
    for path in root.glob("*/*") if root.is_dir() else ():
        try:
            age = now.timestamp() - path.stat().st_mtime
            if path.is_file() and age > max_age.total_seconds():
                path.unlink()
                deleted += 1
        except FileNotFoundError:
            continue  # another process purged it first
    return deleted
