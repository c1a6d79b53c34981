"""Consent: a patient's one-time invitation becomes a Share when a clinician accepts it.

The code is shown to the patient once and stored only as a hash; it works once, for a limited
time, and only for a clinician account. Revoking a share takes effect on the next request,
because ldn.web.access checks `revoked_at` every time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from ldn.web.accounts.models import Share, User
from ldn.web.clinic.models import Invitation

# No 0/O, 1/I/L: the code is read aloud or typed from paper.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
VALIDITY_HOURS = (24, 72, 168)
DEFAULT_VALIDITY_HOURS = 72


class InvitationError(ValueError):
    """An invitation that cannot be made or accepted; the message says why, for the user."""


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def pretty(code: str) -> str:
    """ABCDE-FGHJK: easier to read out than ten letters in a row."""
    return f"{code[:5]}-{code[5:]}"


def create_invitation(
    patient: User,
    areas: list[str],
    hours: int = DEFAULT_VALIDITY_HOURS,
    now: dt.datetime | None = None,
) -> tuple[Invitation, str]:
    """A new invitation and its code (returned once, never stored in clear)."""
    if not patient.is_patient:
        raise InvitationError("Only patients can invite a clinician to their record.")
    unknown = sorted(set(areas) - set(Share.all_areas()))
    if unknown or not areas:
        raise InvitationError(
            f"areas must be some of {', '.join(Share.all_areas())}, got {', '.join(areas) or 'none'}"
        )
    if hours not in VALIDITY_HOURS:
        raise InvitationError(f"hours must be one of {VALIDITY_HOURS}, got {hours}")
    now = now or timezone.now()
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    invitation = Invitation.objects.create(
        patient=patient,
        code_hash=_hash(code),
        areas=[a for a in Share.all_areas() if a in areas],
        created_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    return invitation, code


def find(code: str, now: dt.datetime | None = None) -> Invitation:
    """The pending invitation for `code`, or InvitationError saying why it cannot be used."""
    if len(normalise(code)) != CODE_LENGTH:
        raise InvitationError("That code is not valid. Codes have 10 letters and digits.")
    invitation = Invitation.objects.select_related("patient").filter(code_hash=_hash(code)).first()
    if invitation is None:
        raise InvitationError("That code is not valid. Check it with your patient.")
    now = now or timezone.now()
    if invitation.accepted_at:
        raise InvitationError("That code has already been used.")
    if invitation.cancelled_at:
        raise InvitationError("The patient cancelled that invitation.")
    if invitation.expires_at <= now:
        raise InvitationError("That code has expired. Ask your patient for a new one.")
    return invitation


def accept(code: str, clinician: User, now: dt.datetime | None = None) -> Share:
    """Turn the invitation into a share; a second use (even at the same moment) fails."""
    if not clinician.is_clinician:
        raise InvitationError("Only clinician accounts can accept an invitation.")
    now = now or timezone.now()
    invitation = find(code, now)
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, cancelled_at__isnull=True
        ).update(accepted_at=now, accepted_by=clinician)
        if claimed != 1:
            raise InvitationError("That code has already been used.")
        # One active share per pair: the newest invitation's areas replace the old ones.
        Share.objects.active().filter(patient=invitation.patient, clinician=clinician).update(
            revoked_at=now
        )
        share = Share.objects.create(
            patient=invitation.patient, clinician=clinician, areas=invitation.areas, created_at=now
        )
        Invitation.objects.filter(pk=invitation.pk).update(share=share)
    return share


def cancel(invitation: Invitation, now: dt.datetime | None = None) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        cancelled_at=now or timezone.now()
    )


def active_shares(patient: User) -> list[Share]:
    return list(
        Share.objects.active()
        .filter(patient=patient)
        .select_related("clinician")
        .order_by("-created_at")
    )


def pending_invitations(patient: User, now: dt.datetime | None = None) -> list[Invitation]:
    now = now or timezone.now()
    return list(
        Invitation.objects.filter(
            patient=patient,
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
            expires_at__gt=now,
        )
    )


def area_labels(areas: list[str]) -> list[str]:
    labels = dict(Share.Area.choices)
    return [str(labels.get(a, a)) for a in areas]
