"""The blinded N-of-1 trial: the public design the patient sees, and the sealed allocation apart.

The allocation (seed, orders, nonce) lives in `SealedAllocation`, which has no reverse accessor
from `Trial` (related_name="+"), is not in the admin, and is read only by the pharmacist's sheet
(found by the hash of a secret token) and by the unblinding service once `unblinded_at` is set.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ldn.analysis import TrialDesign

Patient = settings.AUTH_USER_MODEL


class Trial(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="trials")
    created_at = models.DateTimeField(auto_now_add=True)
    start = models.DateField()
    pairs = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2), MaxValueValidator(12)]
    )
    period_days = models.PositiveSmallIntegerField()
    washout_days = models.PositiveSmallIntegerField()
    ldn_dose_mg = models.DecimalField(max_digits=5, decimal_places=2)
    primary_symptom = models.ForeignKey(
        "journal.Symptom", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seal = models.CharField(
        max_length=64, help_text="SHA-256 commitment to the allocation, shown from the start."
    )
    unblinded_at = models.DateTimeField(null=True, blank=True)
    unblinded_early = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"N-of-1 trial from {self.start}"

    @property
    def design(self) -> TrialDesign:
        return TrialDesign(
            start=self.start,
            pairs=self.pairs,
            period_days=self.period_days,
            washout_days=self.washout_days,
            ldn_dose_mg=float(self.ldn_dose_mg),
        )

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=2 * self.pairs * self.period_days - 1)

    @property
    def dose_label(self) -> str:
        return f"{float(self.ldn_dose_mg):g} mg"

    @property
    def is_unblinded(self) -> bool:
        return self.unblinded_at is not None


class SealedAllocation(models.Model):
    """Which period gets LDN. Never rendered to the patient before unblinding."""

    trial = models.OneToOneField(Trial, on_delete=models.CASCADE, related_name="+")
    seed = models.CharField(max_length=40, help_text="128-bit seed of the schedule, decimal.")
    orders = models.JSONField(help_text="Per pair: AB = LDN first, BA = placebo first.")
    nonce = models.CharField(max_length=64)
    # None until a pharmacist link is issued (by a sharing clinician, or e-mailed to the pharmacist).
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    link_issued = models.CharField(max_length=200, blank=True, help_text="Who received the link.")
    link_issued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Sealed allocation of trial {self.trial_id}"


class SheetView(models.Model):
    """One opening of the pharmacist's allocation sheet, shown to the patient. Append-only."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="sheet_views")
    at = models.DateTimeField(default=timezone.now)
    link_issued = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Sheet of trial {self.trial_id} opened at {self.at}"
