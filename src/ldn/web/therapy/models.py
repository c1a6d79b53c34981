"""Therapy records: plan versions, screening results, reminder settings, follow-ups, sent reminders.

Every model here has a `patient` field (or hangs off one that does), so ldn.web.access finds the
owner. Plans are append-only: a change is a new PlanVersion row, never an update.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

Patient = settings.AUTH_USER_MODEL


class PlanVersion(models.Model):
    """One saved state of a patient's titration plan; the highest number is the current plan."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=64, help_text="Template key, or 'custom'.")
    start = models.DateField()
    steps = models.JSONField(help_text="[{dose_mg, from_day, to_day}] as in ldn.dosing.PlanStep.")
    pauses = models.JSONField(default=list, blank=True, help_text="[{start, end, reason}].")
    author = models.ForeignKey(Patient, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=150, help_text="Who made the change, as shown.")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient", "number"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "number"], name="one_plan_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.patient} plan v{self.number}"


class Screening(models.Model):
    """One run of the safety screen over a patient's active medications and conditions."""

    class Trigger(models.TextChoices):
        MEDICATION_ADDED = "medication_added", "A medication was added"
        MEDICATION_CHANGED = "medication_changed", "A medication was changed or stopped"
        PLAN_STARTED = "plan_started", "An LDN plan was started"
        RECORD_CHANGED = "record_changed", "Conditions or medications changed elsewhere"
        ON_DEMAND = "on_demand", "Asked for"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="screenings")
    ran_at = models.DateTimeField(default=timezone.now)
    trigger = models.CharField(max_length=24, choices=Trigger.choices)
    medications = models.JSONField(default=list)
    conditions = models.JSONField(default=list)
    fingerprint = models.CharField(
        max_length=64, help_text="Hash of what was screened; a mismatch means re-screen."
    )

    class Meta:
        ordering = ["-ran_at", "-pk"]
        indexes = [models.Index(fields=["patient", "-ran_at"])]

    def __str__(self) -> str:
        return f"{self.patient} screening {self.ran_at:%Y-%m-%d %H:%M}"


class Finding(models.Model):
    """One line of a screening result, with the fields of ldn.safety.Finding."""

    class Severity(models.TextChoices):
        CONTRAINDICATED = "contraindicated", "Contraindicated"
        WARNING = "warning", "Warning"
        INFORMATION = "information", "Information"
        NOT_SCREENED = "not_screened", "Not recognised — not screened"

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="findings")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    medication = models.ForeignKey(
        "journal.Medication", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    input = models.CharField(max_length=200)
    kind = models.CharField(max_length=16)
    matched = models.CharField(max_length=200, blank=True)
    rule = models.CharField(max_length=64)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    message = models.TextField()
    action = models.TextField()
    references = models.JSONField(default=list)
    substance = models.CharField(max_length=80, blank=True)
    atc = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["screening", "position"]

    def __str__(self) -> str:
        return f"{self.input}: {self.severity}"


class Acknowledgement(models.Model):
    """ "My clinician has planned this": a contraindication the patient has discussed.

    Keyed by what was screened (input text) and the rule, so it survives re-screening but not a
    renamed medication.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    input_key = models.CharField(max_length=200)
    rule = models.CharField(max_length=64)
    note = models.TextField()
    acknowledged_by = models.ForeignKey(
        Patient, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "input_key", "rule"], name="one_acknowledgement_per_finding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.input_key} {self.rule} acknowledged"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class ReminderSettings(models.Model):
    """The private calendar feed token and which e-mail reminders the patient wants."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    feed_token_created_at = models.DateTimeField(default=timezone.now)
    email_missed_dose = models.BooleanField(
        default=False, verbose_name="E-mail me when no dose is logged by the next morning"
    )
    email_follow_up = models.BooleanField(
        default=False, verbose_name="E-mail me the day before a follow-up appointment"
    )

    class Meta:
        verbose_name_plural = "reminder settings"

    def __str__(self) -> str:
        return f"Reminders of {self.patient}"


class FollowUp(models.Model):
    """An appointment to be reminded of; a clinician with a share schedules it from the clinic."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="follow_ups")
    when = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(Patient, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["when"]

    def __str__(self) -> str:
        return f"{self.patient} follow-up {self.when:%Y-%m-%d %H:%M}"


class SentReminder(models.Model):
    """The outbox row of one reminder e-mail: one per (patient, kind, day), the idempotency key.

    It is created once, with the whole rendered message, in one transaction: the unique
    constraint lets exactly one worker create it. Delivery is separate: a worker leases the row
    (`lease_until`), hands the message to the e-mail server with `message_id` as its Message-ID,
    then records `sent_at`. A worker killed mid-send leaves a lease that runs out, and the next
    run delivers the same message again (ldn.web.therapy.reminders says what that guarantees).
    """

    class Kind(models.TextChoices):
        MISSED_DOSE = "missed_dose", "Missed dose"
        FOLLOW_UP = "follow_up", "Follow-up appointment"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    day = models.DateField(help_text="The dose evening, or the appointment's day.")
    message_id = models.CharField(max_length=200, blank=True)
    recipient = models.EmailField(blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True, help_text="Emptied once sent: it holds a taken link.")
    claimed_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind", "day"], name="one_reminder_per_patient_kind_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.day} for {self.patient}"


class UsedTakenLink(models.Model):
    """A one-tap "taken" link that has been used; the unique digest makes the link single-use."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    day = models.DateField()
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"taken link {self.day} used {self.used_at:%Y-%m-%d %H:%M}"
