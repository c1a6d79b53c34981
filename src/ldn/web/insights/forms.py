"""Forms of the trial mode: the design the patient chooses, and the unblinding confirmation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
from django import forms

from ldn.analysis import AnalysisInputError, TrialDesign, generate_schedule
from ldn.web.journal.models import Symptom
from ldn.web.therapy.dose_confirm import HighDoseConfirmField, above_usual_range, apply_dose_rule


class TrialForm(forms.Form):
    start = forms.DateField(
        label="First day of period 1",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Allow time for the pharmacy to prepare the bottles.",
    )
    pairs = forms.IntegerField(
        label="Pairs of periods",
        min_value=2,
        max_value=12,
        initial=5,
        help_text="Each pair has one LDN period and one placebo period, in random order. "
        "With 4 pairs or fewer the test can never reach the usual 5% level; 5 or more can.",
    )
    period_days = forms.IntegerField(label="Days per period", min_value=7, max_value=56, initial=14)
    washout_days = forms.IntegerField(
        label="Washout days at the start of each period",
        min_value=0,
        max_value=53,
        initial=4,
        help_text="These first days of each period are not analysed, so the previous "
        "period's capsules have worn off.",
    )
    ldn_dose_mg = forms.DecimalField(
        label="LDN dose in the active capsules (mg)",
        max_digits=5,
        decimal_places=2,
        initial=Decimal("4.5"),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    primary_symptom = forms.ModelChoiceField(
        label="Main symptom to judge the trial by",
        queryset=Symptom.objects.none(),
        empty_label=None,
        help_text="Chosen now, before any results, so the answer cannot be picked afterwards.",
    )

    def __init__(self, *args: Any, patient: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["primary_symptom"].queryset = Symptom.objects.filter(
            patient=patient, active=True
        )
        self.fields["start"].initial = today + dt.timedelta(days=7)
        if self.is_bound and above_usual_range(self.data.get("ldn_dose_mg")):
            self.fields["confirm_high_dose"] = HighDoseConfirmField()  # the one dose rule

    def clean_ldn_dose_mg(self) -> Decimal:
        dose = self.cleaned_data["ldn_dose_mg"]
        # The one dose rule, bounds included (the confirmation field exists whenever a dose
        # above the usual range was typed, so only refusals can happen without it).
        apply_dose_rule(self, "ldn_dose_mg", [float(dose)], parameter="the dose")
        return dose

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        if data["start"] < self.today:
            self.add_error("start", "The trial cannot start in the past.")
            return data
        try:
            generate_schedule(self.design(), np.random.default_rng(0))
        except AnalysisInputError as exc:  # the core names its parameters; the page, its labels
            message = str(exc)
            for name in ("washout_days", "period_days", "pairs"):
                message = message.replace(name, f"“{self.fields[name].label}”")
            raise forms.ValidationError(message[:1].upper() + message[1:] + ".") from None
        return data

    def design(self) -> TrialDesign:
        d = self.cleaned_data
        return TrialDesign(
            start=d["start"],
            pairs=d["pairs"],
            period_days=d["period_days"],
            washout_days=d["washout_days"],
            ldn_dose_mg=float(d["ldn_dose_mg"]),
        )


class UnblindForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand: once I see which periods were LDN, the trial cannot be blind again.",
        error_messages={"required": "Tick the box to confirm you want to unblind."},
    )


class PharmacistEmailForm(forms.Form):
    """Where the pharmacist's link goes: the pharmacist's address, never the patient's own."""

    email = forms.EmailField(
        label="Your pharmacist's e-mail address",
        help_text="The link to the allocation sheet goes to this address only; you will not see "
        "it. The blinding relies on this being your pharmacist's address, not one of yours.",
    )

    def __init__(self, *args: Any, patient_email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient_email = patient_email.strip().lower()

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if self.patient_email and email.lower() == self.patient_email:
            raise forms.ValidationError(
                "That is your own address. Enter your pharmacist's: if the link reached you, "
                "the trial would no longer be blind.",
                code="own_address",
            )
        return email
