"""Sign-up and profile forms: parse input into clean values, with messages at the field."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth.forms import UserCreationForm

from ldn.web.accounts.models import PatientProfile, User

COMMON_TIME_ZONES = sorted(zoneinfo.available_timezones())


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="For password resets and reminders.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.role = User.Role.PATIENT  # never self-granted: clinicians are made by an administrator
        if commit:
            user.save()
            PatientProfile.objects.create(user=user)
        return user


class ProfileForm(forms.ModelForm):
    conditions_text = forms.CharField(
        label="Conditions",
        required=False,
        help_text="Separate with commas, e.g. fibromyalgia, Hashimoto's thyroiditis.",
    )
    time_zone = forms.ChoiceField(choices=[(tz, tz) for tz in COMMON_TIME_ZONES])

    class Meta:
        model = PatientProfile
        fields = ("time_zone", "date_of_birth", "sex", "pregnancy", "breastfeeding")
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["conditions_text"].initial = ", ".join(self.instance.conditions)

    def clean_conditions_text(self) -> list[str]:
        raw = self.cleaned_data["conditions_text"]
        return [c.strip() for c in raw.split(",") if c.strip()]

    def save(self, commit: bool = True) -> PatientProfile:
        profile = super().save(commit=False)
        profile.conditions = self.cleaned_data["conditions_text"]
        if commit:
            profile.save()
        return profile


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {"wrong_password": "That is not your password; nothing was deleted."}

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                self.error_messages["wrong_password"], code="wrong_password"
            )
        return password
