"""Check-ins made offline and sent later: each is saved once, by the key its device gave it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OfflineCheckin(models.Model):
    """A check-in the browser kept while offline and has since sent (one row per device key).

    A resend with the same key (Background Sync and the next page load can both send it) finds
    this row and saves nothing. "discarded": the day had been saved elsewhere meanwhile and
    the patient chose to keep that version.
    """

    class Outcome(models.TextChoices):
        SAVED = "saved", "saved"
        DISCARDED = "discarded", "discarded"

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offline_checkins"
    )
    key = models.UUIDField()
    day = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "key"], name="one_offline_checkin_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.day} {self.key} {self.outcome}"
