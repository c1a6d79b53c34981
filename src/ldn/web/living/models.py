"""Living with LDN: the extra check-in answers, timing experiments and changes, step decisions,
thyroid logs, planned procedures and liquid bottles.

Every model has a `patient` field, so ldn.web.access finds the owner.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

Patient = settings.AUTH_USER_MODEL


class LivingDay(models.Model):
    """The short extra set of one day: item code -> 0-10 (tolerance, timing, thyroid items)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    scores = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="one_living_day_per_patient")
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.day}"


class TimingExperiment(models.Model):
    """A randomised bedtime-or-morning comparison; the order is drawn once, at set-up."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    block_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(7), MaxValueValidator(10)]
    )
    pairs = models.PositiveSmallIntegerField(default=2)
    washout_days = models.PositiveSmallIntegerField(default=2)
    orders = models.JSONField(help_text="Per pair 'AB' (morning first) or 'BA'.")
    seal = models.CharField(max_length=64)
    nonce = models.CharField(max_length=64)
    morning_time = models.TimeField()
    bedtime_time = models.TimeField()
    prescriber = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.patient} timing experiment from {self.start}"


class TimingChange(models.Model):
    """A recorded change of dose time (by the experiment or by the patient): history and export."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    time_of_day = models.CharField(max_length=8)  # morning | bedtime
    dose_time = models.TimeField()
    reason = models.CharField(max_length=200)
    experiment = models.ForeignKey(
        TimingExperiment, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="one_timing_change_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.time_of_day}"


class StepDecision(models.Model):
    """The closing summary of a tolerance window, its proposal, and a person's decision."""

    class Choice(models.TextChoices):
        GO_ON = "go_on", "Go on with the plan"
        HOLD = "hold", "Hold this dose 7 days longer"
        STEP_BACK = "step_back", "Step back to the previous dose"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    change_day = models.DateField()
    change_label = models.CharField(max_length=120)
    summary = models.TextField()
    proposal = models.CharField(max_length=16, choices=Choice.choices)
    decision = models.CharField(max_length=16, choices=Choice.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        Patient, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(
        max_length=150, blank=True, help_text="Who decided, when not linked (an imported row)."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    plan_version = models.ForeignKey(
        "therapy.PlanVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-change_day"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "change_day"], name="one_step_decision_per_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.change_label}"


class ThyroidRecord(models.Model):
    """A thyroid hormone dose or a lab result, as the patient read it."""

    class Kind(models.TextChoices):
        DOSE = "dose", "Thyroid hormone dose"
        TSH = "tsh", "TSH"
        FREE_T4 = "free_t4", "Free T4"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.DecimalField(max_digits=7, decimal_places=2)
    unit = models.CharField(max_length=16)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.value} {self.unit} on {self.day}"


class PlannedProcedure(models.Model):
    """A planned procedure with the prescriber's stop and restart instruction, stored as given.

    The one surgery feature: saving it pauses the plan (a plan version, `plan_version`) from the
    day after the last dose to the day before the restart, so the calendar, the dose reminders
    and the calendar feed all follow the plan's pause.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    procedure_day = models.DateField()
    description = models.CharField(max_length=120)
    instruction = models.TextField(help_text="The prescriber's words, as given.")
    instructed_by = models.CharField(
        max_length=120,
        blank=True,
        help_text="Empty: not recorded (an older 'Pause before surgery').",
    )
    last_dose_day = models.DateField()
    restart_day = models.DateField(null=True, blank=True)
    entered_by = models.ForeignKey(Patient, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_by_name = models.CharField(max_length=150, blank=True)
    confirmed_by = models.ForeignKey(
        Patient, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by_name = models.CharField(
        max_length=150, blank=True, help_text="Who confirmed, when not linked (an imported row)."
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    plan_version = models.ForeignKey(
        "therapy.PlanVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The plan version whose pause this instruction made.",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["procedure_day"]

    def __str__(self) -> str:
        return f"{self.description} on {self.procedure_day}"


class Bottle(models.Model):
    """A new bottle of liquid LDN, with the strength printed on its label."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    started_on = models.DateField()
    concentration_mg_per_ml = models.DecimalField(max_digits=5, decimal_places=2)
    volume_ml = models.DecimalField(max_digits=6, decimal_places=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.concentration_mg_per_ml} mg/ml from {self.started_on}"
