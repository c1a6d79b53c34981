"""Sharing invitations, the append-only audit log, clinician notes, visit questions and the
denormalised flag table behind the clinician's patient list.

Every model with patient data has a `patient` field, so ldn.web.access finds the owner.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from ldn.journal import SIDE_EFFECTS

Person = settings.AUTH_USER_MODEL


class Invitation(models.Model):
    """A one-time code a patient gives a clinician; accepting it creates a Share.

    Only a hash of the code is stored: the patient sees the code once, when it is made.
    """

    patient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    code_hash = models.CharField(max_length=64, unique=True)
    areas = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    share = models.ForeignKey(
        "accounts.Share", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation from {self.patient} ({self.created_at:%Y-%m-%d})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.cancelled_at:
            return "cancelled"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove an audit row."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One look by a clinician at a patient's record. Rows are only ever added.

    `save()` of an existing row, `delete()`, and queryset `update()`/`delete()` all raise.
    (Deleting the patient's whole account still removes their log with everything else.)
    """

    class Action(models.TextChoices):
        READ = "read", "Viewed"
        LIST = "list", "Saw in the patient list"
        REPORT = "report", "Generated a report"
        WRITE = "write", "Changed"

    patient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.READ)
    area = models.CharField(max_length=32)
    what = models.CharField(max_length=200, blank=True, help_text="The record or page looked at.")
    path = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["patient", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.area} of {self.patient_id} at {self.at}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class ClinicianNote(models.Model):
    """A clinician's note about a patient: private to its author, or shared with the patient."""

    patient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="clinician_notes")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    shared_with_patient = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note on {self.patient} by {self.author}"


class FollowUpOutcome(models.Model):
    """Marks a therapy follow-up as held, so it stops counting as overdue."""

    follow_up = models.OneToOneField(
        "therapy.FollowUp", on_delete=models.CASCADE, related_name="outcome"
    )
    patient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    held_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"Follow-up {self.follow_up_id} held"


class VisitQuestion(models.Model):
    """A question the patient wants to ask at the next visit; printed on the visit report."""

    patient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="visit_questions")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class PatientFlags(models.Model):
    """What needs attention for one patient, computed in batch and marked stale on writes.

    The clinician's list reads only this table (and shares), so it stays fast with thousands of
    patients. Time-dependent facts are stored as dates and compared with today in the query.
    """

    patient = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="clinic_flags"
    )
    stale = models.BooleanField(default=True)
    computed_for = models.DateField(null=True, blank=True)
    display_name = models.CharField(max_length=150, db_index=True)
    last_entry = models.DateField(null=True, blank=True)
    current_dose_mg = models.FloatField(null=True, blank=True)
    adherence_pct = models.FloatField(null=True, blank=True)
    adherence_low = models.BooleanField(default=False)
    missed_doses = models.PositiveSmallIntegerField(default=0, help_text="Logged as skipped.")
    unlogged_nights = models.PositiveSmallIntegerField(
        default=0, help_text="Due, but nothing logged: not known to be missed."
    )
    contraindications = models.PositiveSmallIntegerField(default=0)
    likely_worse = models.JSONField(default=list, blank=True)
    new_side_effects = models.JSONField(default=list, blank=True)
    overdue_since = models.DateTimeField(null=True, blank=True)
    questionnaire_alerts = models.JSONField(default=list, blank=True)
    attention = models.PositiveSmallIntegerField(default=0, db_index=True)
    has_contraindication = models.BooleanField(default=False)
    has_likely_worse = models.BooleanField(default=False)
    has_new_side_effect = models.BooleanField(default=False)
    has_questionnaire_alert = models.BooleanField(default=False)
    has_item9 = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "patient flags"

    def __str__(self) -> str:
        return f"Flags of {self.display_name}"

    @property
    def side_effect_names(self) -> list[str]:
        return [
            SIDE_EFFECTS.get(c, c.replace("_", " ").capitalize()) for c in self.new_side_effects
        ]


class TemporaryPassword(models.Model):
    """The one-time password `ldn clinician create` printed, while it is still the account's
    password: it works for TEMPORARY_PASSWORD_HOURS and only to choose a new one.

    `password_hash` is the account's hash when it was issued; once the hash differs (the
    clinician, or an administrator, set another password) the row no longer applies.
    """

    user = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="temporary_password"
    )
    password_hash = models.CharField(max_length=256)
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Temporary password of {self.user_id}"
