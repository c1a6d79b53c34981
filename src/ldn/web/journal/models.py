"""A patient's daily record: symptoms, daily entries, doses taken and medications.

Every model here has a `patient` field: the access module finds the owner through it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length

from ldn.interop.limits import field_limit
from ldn.journal import SIDE_EFFECTS

Patient = settings.AUTH_USER_MODEL


def limit_validators(name: str) -> list[MinValueValidator | MaxValueValidator]:
    """The range of a journal field, from ldn/interop/data/limits.yaml (the one definition)."""
    limit = field_limit(name)
    return [MinValueValidator(limit.min), MaxValueValidator(limit.max)]


def max_length(name: str) -> int:
    value = field_limit(name).max_length
    assert value is not None, name  # a text field of limits.yaml always has a length
    return value


def range_check(column: str, name: str, table: str) -> models.CheckConstraint:
    """A CHECK constraint holding `column` within its limits.yaml range (NULL passes)."""
    limit = field_limit(name)
    return models.CheckConstraint(
        condition=models.Q(**{f"{column}__isnull": True})
        | models.Q(**{f"{column}__gte": limit.min, f"{column}__lte": limit.max}),
        name=f"{table}_{column}_range",
    )


def length_check(column: str, name: str, table: str) -> models.CheckConstraint:
    """A CHECK constraint on a text column's length (TextField has none of its own)."""
    return models.CheckConstraint(
        condition=models.lookups.LessThanOrEqual(Length(column), max_length(name)),
        name=f"{table}_{column}_length",
    )


zero_to_ten = limit_validators("score")


class Symptom(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="symptoms")
    key = models.SlugField(max_length=64)
    name = models.CharField(max_length=max_length("symptom_name"))
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
    side_effect_other = models.CharField(max_length=max_length("side_effect_other"), blank=True)
    sleep_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=limit_validators("sleep_hours"),
    )
    sleep_quality = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=limit_validators("sleep_quality")
    )
    stress = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=limit_validators("stress")
    )
    exercise_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=limit_validators("exercise_minutes")
    )
    water_litres = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=limit_validators("water_litres"),
    )
    alcohol_units = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=limit_validators("alcohol_units")
    )
    diet_notes = models.CharField(max_length=max_length("diet_notes"), blank=True)
    tags = models.JSONField(default=list, blank=True)
    therapies = models.JSONField(default=list, blank=True)
    cycle_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=limit_validators("cycle_day")
    )
    notes = models.TextField(blank=True, max_length=max_length("notes"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]
        verbose_name_plural = "daily entries"
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="one_entry_per_patient_day"),
            *(
                range_check(f, f, "entry")
                for f in (
                    "sleep_hours",
                    "sleep_quality",
                    "stress",
                    "exercise_minutes",
                    "water_litres",
                    "alcohol_units",
                    "cycle_day",
                )
            ),  # fmt: skip
            length_check("notes", "notes", "entry"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.day}"


class SymptomRating(models.Model):
    entry = models.ForeignKey(DailyEntry, on_delete=models.CASCADE, related_name="ratings")
    symptom = models.ForeignKey(Symptom, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(validators=zero_to_ten)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "symptom"], name="one_rating_per_symptom"),
            range_check("score", "score", "rating"),
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
    amount_mg = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=limit_validators("ldn_dose_mg"),
    )
    form = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="one_dose_log_per_day"),
            range_check("amount_mg", "ldn_dose_mg", "doselog"),
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
    changed_at = models.DateTimeField(auto_now_add=True)

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


class OtherDose(models.Model):
    """Another medication or supplement taken (or missed) on a day, as an import or the JSON
    export brought it: kept, never dropped, and written back out by the export."""

    class Status(models.TextChoices):
        TAKEN = "taken", "Taken"
        MISSED = "missed", "Missed"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="other_doses")
    day = models.DateField()
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the day.")
    name = models.CharField(max_length=max_length("other_dose_name"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.TAKEN)
    amount = models.CharField(max_length=max_length("other_dose_amount"), blank=True)
    at = models.TimeField(null=True, blank=True, help_text="Local wall-clock time, if given.")

    class Meta:
        ordering = ["day", "position"]
        indexes = [models.Index(fields=["patient", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.name} {self.status}"
