"""A clinician's first sign-in: the one-time password printed by `ldn clinician create` works
for TEMPORARY_PASSWORD_HOURS and only to choose a new password."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ldn.web.accounts.models import User
from ldn.web.clinic.models import TemporaryPassword

TEMPORARY_PASSWORD_HOURS = 72


def issue(user: User, now: dt.datetime | None = None) -> None:
    """Record that `user`'s current password is a one-time one (call right after setting it)."""
    TemporaryPassword.objects.update_or_create(
        user=user, defaults={"password_hash": user.password, "issued_at": now or timezone.now()}
    )


def state(user: User, now: dt.datetime | None = None) -> str:
    """ "" (a password the user chose), "must_change" or "expired"."""
    row = TemporaryPassword.objects.filter(user=user).first()
    if row is None:
        return ""
    if row.password_hash != user.password:
        row.delete()  # changed since: the one-time password no longer applies
        return ""
    now = now or timezone.now()
    if now - row.issued_at > dt.timedelta(hours=TEMPORARY_PASSWORD_HOURS):
        return "expired"
    return "must_change"
