"""Forms parse input into plain values; each error names the field and what to fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from ldn.analysis.timing import POWER_NOTE
from ldn.web.living.models import StepDecision, ThyroidRecord

SCALE = [(i, str(i)) for i in range(11)]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExtraDayForm(forms.Form):
    """The short extra set: one optional 0-10 rating per item asked that day."""

    def __init__(self, *args: Any, items: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in items.items():
            self.fields[code] = forms.TypedChoiceField(
                label=label, choices=SCALE, coerce=int, empty_value=None, required=False,
                widget=forms.RadioSelect,
            )  # fmt: skip

    def scores(self) -> dict[str, int]:
        return {k: v for k, v in self.cleaned_data.items() if v is not None}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.fields and all(v is None for v in data.values()):
            raise forms.ValidationError(
                "Nothing was rated: choose a number from 0 to 10 for at least one item.",
                code="empty",
            )
        return data


class TimingSetupForm(forms.Form):
    start = forms.DateField(label="First day of the experiment", widget=DATE)
    block_days = forms.TypedChoiceField(
        label="Days in each block", choices=[(n, f"{n} days") for n in range(7, 11)], coerce=int,
        initial=7,
    )  # fmt: skip
    pairs = forms.TypedChoiceField(
        label="Blocks at each time", coerce=int, initial=2,
        choices=[(2, "2 at each time"), (3, "3 at each time"), (4, "4 at each time")],
        help_text=f"More blocks take longer but can find smaller differences. {POWER_NOTE}",
    )  # fmt: skip
    morning_time = forms.TimeField(
        label="Morning dose time",
        initial=dt.time(8, 0),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    bedtime_time = forms.TimeField(
        label="Bedtime dose time",
        initial=dt.time(22, 0),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    prescriber = forms.CharField(
        label="Prescriber who agreed", max_length=120,
        help_text="The name of the prescriber who agreed to this experiment.",
    )  # fmt: skip
    agreed = forms.BooleanField(
        label="My prescriber agreed that I may take my LDN dose in the morning or at bedtime "
        "for this experiment.",
        error_messages={"required": "Tick the box once your prescriber has agreed; without "
                        "that agreement the experiment cannot start."},
    )  # fmt: skip

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["start"].initial = today + dt.timedelta(days=1)

    def clean_start(self) -> dt.date:
        start: dt.date = self.cleaned_data["start"]
        if start < self.today:
            raise forms.ValidationError(
                "The first day must be today or later (got %(value)s): the order is drawn now, "
                "before any block begins.", code="past", params={"value": start},
            )  # fmt: skip
        if start > self.today + dt.timedelta(days=60):
            raise forms.ValidationError(
                "The first day must be within 60 days from today (got %(value)s).",
                code="far", params={"value": start},
            )  # fmt: skip
        return start


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=StepDecision.Choice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason (shown in the plan history)", max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class ThyroidRecordForm(forms.Form):
    day = forms.DateField(label="Date", widget=DATE)
    kind = forms.ChoiceField(label="What", choices=ThyroidRecord.Kind.choices)
    value = forms.DecimalField(
        label="Value", min_value=Decimal("0.01"), max_value=Decimal("9999"), decimal_places=2
    )
    unit = forms.ChoiceField(
        label="Unit (as on the lab report or label)",
        choices=[(u, u) for u in ("mcg", "mg", "mU/L", "pmol/L", "ng/dL")],
    )
    note = forms.CharField(label="Note (optional)", max_length=200, required=False)

    UNITS = {"dose": {"mcg", "mg"}, "tsh": {"mU/L"}, "free_t4": {"pmol/L", "ng/dL"}}

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["day"].initial = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, unit = data.get("kind"), data.get("unit")
        if kind and unit and unit not in self.UNITS[kind]:
            self.add_error(
                "unit",
                forms.ValidationError(
                    "%(unit)s is not a unit for %(kind)s; use %(allowed)s.", code="unit",
                    params={"unit": unit, "kind": dict(ThyroidRecord.Kind.choices)[kind],
                            "allowed": " or ".join(sorted(self.UNITS[kind]))},
                ),
            )  # fmt: skip
        return data

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day > self.today:
            raise forms.ValidationError(
                "The date must not be in the future (got %(value)s).", code="future",
                params={"value": day},
            )  # fmt: skip
        return day


class ProcedureForm(forms.Form):
    description = forms.CharField(label="Procedure", max_length=120)
    procedure_day = forms.DateField(label="Date of the procedure", widget=DATE)
    instructed_by = forms.CharField(label="Who gave the instruction", max_length=120)
    instruction = forms.CharField(
        label="The instruction, in their words", widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )  # fmt: skip
    last_dose_day = forms.DateField(label="Last LDN dose before the procedure", widget=DATE)
    restart_day = forms.DateField(
        label="Restart LDN on (leave empty if not decided yet)", required=False,
        widget=DATE,
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        surgery, last, restart = (
            data.get("procedure_day"), data.get("last_dose_day"), data.get("restart_day")
        )  # fmt: skip
        if surgery and last and last >= surgery:
            self.add_error(
                "last_dose_day",
                forms.ValidationError(
                    "The last dose must be before the procedure on %(day)s.", code="after",
                    params={"day": surgery},
                ),
            )  # fmt: skip
        if surgery and restart and restart <= surgery:
            self.add_error(
                "restart_day",
                forms.ValidationError(
                    "The restart must be after the procedure on %(day)s.", code="before",
                    params={"day": surgery},
                ),
            )  # fmt: skip
        return data


class BottleForm(forms.Form):
    started_on = forms.DateField(label="First day from this bottle", widget=DATE)
    concentration_mg_per_ml = forms.DecimalField(
        label="Strength on the label (mg per ml)", min_value=Decimal("0.1"), max_value=Decimal("50"),
        decimal_places=2,
    )  # fmt: skip
    volume_ml = forms.DecimalField(
        label="Volume in the bottle (ml)", min_value=Decimal("1"), max_value=Decimal("1000"),
        decimal_places=1,
    )  # fmt: skip
