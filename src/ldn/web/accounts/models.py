"""Users, their roles, patient profiles, and the shares through which clinicians see patients."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "%(value)s is not a known time zone; use a name such as Europe/London.",
            code="unknown_time_zone",
            params={"value": value},
        )


class UserManager(DjangoUserManager):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: object
    ) -> User:
        # `ldn manage createsuperuser` makes an administrator, never a patient-role account.
        extra.setdefault("role", "admin")
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    class Role(models.TextChoices):
        PATIENT = "patient", "Patient"
        CLINICIAN = "clinician", "Clinician"
        ADMIN = "admin", "Administrator"

    # Sign-up always makes a patient; the clinician role is granted by an administrator or `ldn`.
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)

    objects = UserManager()

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == self.Role.CLINICIAN

    @property
    def is_administrator(self) -> bool:
        """Staff of the site (the admin pages): a second factor is required, as for clinicians."""
        return self.role == self.Role.ADMIN or self.is_staff or self.is_superuser


class PatientProfile(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        UNDISCLOSED = "undisclosed", "Prefer not to say"

    class Pregnancy(models.TextChoices):
        NOT_APPLICABLE = "not_applicable", "Not applicable"
        NOT_PREGNANT = "not_pregnant", "Not pregnant"
        PREGNANT = "pregnant", "Pregnant"
        TRYING = "trying", "Trying to conceive"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.UNDISCLOSED)
    conditions = models.JSONField(
        default=list, blank=True, help_text="Condition names, e.g. fibromyalgia."
    )
    pregnancy = models.CharField(
        max_length=16, choices=Pregnancy.choices, default=Pregnancy.NOT_APPLICABLE
    )
    breastfeeding = models.BooleanField(default=False)
    bedtime = models.TimeField(
        default=datetime.time(22, 0), help_text="When you usually take LDN, in your time zone."
    )
    onboarding_step = models.CharField(
        max_length=16,
        blank=True,
        default="",
        help_text="The next set-up step after sign-up; empty once finished (or never started).",
    )
    is_synthetic = models.BooleanField(
        default=False, help_text="A generated demo patient, not a real person."
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class ShareQuerySet(models.QuerySet):
    def active(self) -> ShareQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class Share(models.Model):
    """A patient's consent for one clinician to read (parts of) their record; revocable at once."""

    class Area(models.TextChoices):
        JOURNAL = "journal", "Journal"
        ANALYSIS = "analysis", "Analysis"
        MEDICATIONS = "medications", "Medications and screening"
        PLAN = "plan", "Plan"
        QUESTIONNAIRES = "questionnaires", "Questionnaires"

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares_given"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares_received"
    )
    areas = models.JSONField(default=list, help_text="Which areas of the record are shared.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["clinician", "patient"])]

    def __str__(self) -> str:
        return f"{self.patient} → {self.clinician}"

    @classmethod
    def all_areas(cls) -> list[str]:
        return [area.value for area in cls.Area]

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
