"""Web Push: the patient's devices, the outbox of notifications, the missed-dose channel choice.

A device is a browser's push subscription (RFC 8030 endpoint plus the RFC 8291 keys). A
notification to a device is one PushReminder row, unique per (device, kind, night, seq): the
idempotency key that lets exactly one worker create it (ldn.web.push.reminders says what is
guaranteed and where).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

Patient = settings.AUTH_USER_MODEL


class PushSubscription(models.Model):
    """One browser on one device that agreed to receive this patient's notifications."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="push_devices")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200, help_text="The browser's P-256 public key.")
    auth = models.CharField(max_length=64, help_text="The browser's authentication secret.")
    label = models.CharField(max_length=120, blank=True, help_text="Browser and system.")
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "push device"

    def __str__(self) -> str:
        return f"{self.label or 'device'} of {self.patient}"


class PushReminder(models.Model):
    """The outbox row of one notification to one device.

    Created once, with the whole payload, in one transaction; the unique constraint lets
    exactly one worker create it. A worker leases it (`lease_until`), hands it to the push
    service, then records `sent_at` and empties `payload` (it holds a single-use token).
    """

    class Kind(models.TextChoices):
        BEDTIME = "bedtime", "Bedtime reminder"
        SNOOZE = "snooze", "Snoozed reminder"
        MISSED_DOSE = "missed_dose", "Missed-dose follow-up"

    device = models.ForeignKey(PushSubscription, on_delete=models.CASCADE, related_name="sent")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    night = models.DateField(help_text="The dose evening the notification is about.")
    seq = models.PositiveSmallIntegerField(default=0, help_text="The snooze count; else 0.")
    not_before = models.DateTimeField(default=timezone.now)
    payload = models.TextField(blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["device", "kind", "night", "seq"], name="one_push_per_device_kind_night"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.night} to device {self.device_id}"


class PushSettings(models.Model):
    """How the patient wants the missed-dose follow-up: by push to their devices (here) and/or
    by e-mail (ldn.web.therapy.models.ReminderSettings.email_missed_dose)."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="push_settings")
    missed_dose_push = models.BooleanField(
        default=False,
        verbose_name="Send a notification the next morning when no dose was logged",
    )

    class Meta:
        verbose_name_plural = "push settings"

    def __str__(self) -> str:
        return f"Push settings of {self.patient}"
