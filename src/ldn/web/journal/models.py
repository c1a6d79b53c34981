"""A patient's daily record: symptoms, daily entries, doses taken and medications.

Every model here has a `patient` field: the access module finds the owner through it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ldn.journal import SIDE_EFFECTS
from ldn.web.accounts import clock

Patient = settings.AUTH_USER_MODEL
zero_to_ten = [MinValueValidator(0), MaxValueValidator(10)]


class Symptom(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="symptoms")
    key = models.SlugField(max_length=64)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "key"], name="unique_symptom_per_patient")
        ]

    def __str__(self) -> str:
        return self.name


class DailyEntry(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="entries")
    day = models.DateField()
    side_effects = models.JSONField(
        default=list, blank=True, help_text=f"Codes from {', '.join(SIDE_EFFECTS)}."
    )
    side_effect_other = models.CharField(max_length=200, blank=True)
    sleep_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    sleep_quality = models.PositiveSmallIntegerField(null=True, blank=True, validators=zero_to_ten)
    stress = models.PositiveSmallIntegerField(null=True, blank=True, validators=zero_to_ten)
    exercise_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    water_litres = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    alcohol_units = models.PositiveSmallIntegerField(null=True, blank=True)
    diet_notes = models.CharField(max_length=300, blank=True)
    tags = models.JSONField(default=list, blank=True)
    therapies = models.JSONField(default=list, blank=True)
    cycle_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]
        verbose_name_plural = "daily entries"
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="one_entry_per_patient_day")
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.day}"


class SymptomRating(models.Model):
    entry = models.ForeignKey(DailyEntry, on_delete=models.CASCADE, related_name="ratings")
    symptom = models.ForeignKey(Symptom, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(validators=zero_to_ten)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "symptom"], name="one_rating_per_symptom")
        ]

    def __str__(self) -> str:
        return f"{self.symptom_id}={self.score}"


class DoseLog(models.Model):
    class Status(models.TextChoices):
        TAKEN = "taken", "Taken"
        MISSED = "missed", "Missed"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="doses")
    day = models.DateField(help_text="The evening the dose belongs to.")
    status = models.CharField(max_length=8, choices=Status.choices)
    taken_at = models.DateTimeField(null=True, blank=True)
    amount_mg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    form = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="one_dose_log_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.status}"


class Medication(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(max_length=120)
    is_ldn = models.BooleanField(default=False)
    dose = models.CharField(max_length=40, blank=True)
    unit = models.CharField(max_length=16, blank=True)
    form = models.CharField(max_length=32, blank=True)
    schedule = models.CharField(max_length=80, blank=True)
    started_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    prescriber = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-is_ldn", "name"]

    def __str__(self) -> str:
        return self.name


class EntryRevision(models.Model):
    """What a day's entry looked like before each change: edits and deletions are never silent."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Edited"
        DELETED = "deleted", "Deleted"
        IMPORTED = "imported", "Imported"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="revisions")
    day = models.DateField()
    action = models.CharField(max_length=8, choices=Action.choices)
    before = models.JSONField(null=True, blank=True, help_text="The entry before the change.")
    changed_by = models.ForeignKey(Patient, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["patient", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.action}"


class QuestionnaireResponse(models.Model):
    """A completed PHQ-9, GAD-7 or PGIC, scored by the core at the time it was answered."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="questionnaires")
    instrument = models.CharField(max_length=16)
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(max_length=64, blank=True)
    flags = models.JSONField(default=list, blank=True)
    completed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-created_at"]
        indexes = [models.Index(fields=["patient", "instrument", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.completed_on}"
