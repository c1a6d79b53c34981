"""Forms of the clinic: invitations, accepting, plan adjustment, follow-ups, notes, 2FA."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from ldn.dosing.plan import MAX_DOSE_MG, MIN_DOSE_MG
from ldn.web.accounts.models import Share
from ldn.web.clinic import sharing
from ldn.web.therapy.dose_confirm import HighDoseConfirmField, apply_dose_rule

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InvitationForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label="What your clinician may see",
        choices=Share.Area.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=Share.all_areas(),
        error_messages={"required": "Choose at least one part of your record to share."},
    )
    hours = forms.TypedChoiceField(
        label="The code works for",
        choices=[(24, "1 day"), (72, "3 days"), (168, "7 days")],
        coerce=int,
        initial=sharing.DEFAULT_VALIDITY_HOURS,
        help_text="It works once. Unused codes simply expire.",
    )


class AcceptForm(forms.Form):
    code = forms.CharField(
        label="Invitation code",
        max_length=20,
        help_text="10 letters and digits, as your patient gave it, e.g. ABCDE-FGHJK.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        code = sharing.normalise(self.cleaned_data["code"])
        try:
            sharing.find(code)
        except sharing.InvitationError as exc:
            raise forms.ValidationError(str(exc), code="invalid_invitation") from None
        return code


class AdjustPlanForm(forms.Form):
    dose_mg = forms.FloatField(
        label="New dose (mg)",
        widget=forms.NumberInput(
            attrs={"step": "0.1", "inputmode": "decimal", "min": MIN_DOSE_MG, "max": MAX_DOSE_MG}
        ),
    )
    from_day = forms.DateField(label="From (first evening at the new dose)", widget=DATE)
    reason = forms.CharField(
        label="Reason (the patient sees it)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: sleep disturbance at 4.5 mg; back to 3 mg for two weeks.",
    )
    confirm_high_dose = HighDoseConfirmField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("dose_mg") is not None:  # the one dose rule (ldn.dosing.dose_rule)
            apply_dose_rule(self, "dose_mg", [data["dose_mg"]], parameter="the dose")
        return data


class FollowUpForm(forms.Form):
    day = forms.DateField(label="Date", widget=DATE)
    time = forms.TimeField(
        label="Time", initial=dt.time(9, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    note = forms.CharField(label="Note for the patient", max_length=200, required=False)

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        """`today`: the patient's own date (ldn.web.accounts.clock), which a follow-up may not
        precede."""
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and self.today is not None and data["day"] < self.today:
            self.add_error("day", "A follow-up must be today or later.")
        return data


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    shared_with_patient = forms.BooleanField(
        label="Share this note with the patient",
        required=False,
        help_text="Unticked, only you can read it.",
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=16,
        help_text="Lost your phone? Enter one of your recovery codes instead (e.g. abcde-fghjk).",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label="A question for your next visit", max_length=300)


class ReportRangeForm(forms.Form):
    start = forms.DateField(label="From", widget=DATE)
    end = forms.DateField(label="To", widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end must not be before the start.")
        return data
