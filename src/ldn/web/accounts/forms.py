"""Sign-up and profile forms: parse input into clean values, with messages at the field."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

from ldn.journal import suggestions_for
from ldn.knowledge import load_knowledge
from ldn.web.accounts.models import PatientProfile, User
from ldn.web.accounts.zones import zone_choices


def _zone_field(current: str | None = None) -> forms.ChoiceField:
    choices = list(zone_choices())
    if current and current not in dict(choices):  # an older, now non-canonical name stays valid
        choices.insert(0, (current, current))
    return forms.ChoiceField(
        label="Time zone",
        choices=choices,
        help_text="Type a city or country to find yours. Your days and reminders follow it.",
    )


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

    class Meta:
        model = PatientProfile
        fields = ("time_zone", "date_of_birth", "sex", "pregnancy", "breastfeeding")
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["time_zone"] = _zone_field(self.instance.time_zone)
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


class ZoneForm(forms.ModelForm):
    """Onboarding: the time zone, detected by the browser and confirmed by the patient."""

    class Meta:
        model = PatientProfile
        fields = ("time_zone",)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["time_zone"] = _zone_field(self.instance.time_zone)


def condition_choices() -> list[tuple[str, str]]:
    return [(c.slug, c.name) for c in load_knowledge().conditions]


class ConditionsForm(forms.Form):
    """Onboarding: conditions from our knowledge base, and any others in the patient's words."""

    known = forms.MultipleChoiceField(
        label="Conditions we have read about",
        choices=condition_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.CharField(
        label="Other conditions",
        required=False,
        max_length=300,
        help_text="Separate with commas, e.g. endometriosis, chronic migraine.",
    )

    def clean_others(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["others"].split(",") if c.strip()]

    def names(self) -> list[str]:
        """The conditions as the profile stores them: knowledge-base names, then the others."""
        names = dict(condition_choices())
        return [names[slug] for slug in self.cleaned_data["known"]] + self.cleaned_data["others"]


def condition_slugs(conditions: list[str]) -> list[str]:
    by_name = {name: slug for slug, name in condition_choices()}
    return [by_name[c] for c in conditions if c in by_name]


class SymptomPickForm(forms.Form):
    """Onboarding: symptoms suggested for the patient's conditions, plus their own."""

    suggested = forms.MultipleChoiceField(
        label="Suggested symptoms", required=False, widget=forms.CheckboxSelectMultiple
    )
    own = forms.CharField(
        label="Your own symptoms",
        required=False,
        max_length=400,
        help_text="Separate with commas, e.g. jaw pain, restless legs.",
    )

    def __init__(self, *args: object, conditions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.suggestions = suggestions_for(condition_slugs(conditions))
        self.fields["suggested"].choices = [(s.key, s.name) for s in self.suggestions]  # type: ignore[attr-defined]

    def clean_own(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["own"].split(",") if c.strip()]

    def reasons(self) -> list[tuple[str, list[str]]]:
        """Each source (a citation, or "our suggestion") with the symptoms it suggests."""
        grouped: dict[str, list[str]] = {}
        for s in self.suggestions:
            grouped.setdefault(s.citation, []).append(s.name)
        return list(grouped.items())

    def names(self) -> list[str]:
        picked = {s.key: s.name for s in self.suggestions}
        return [picked[k] for k in self.cleaned_data["suggested"]] + self.cleaned_data["own"]
