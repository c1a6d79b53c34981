"""Forms: each binds input, asks the core, and puts the core's own message at the field."""

from __future__ import annotations

from typing import Any

from django import forms

from ldn.dosing import (
    LiquidError,
    PlanError,
    TitrationPlan,
    liquid_dose,
    plan_from_steps,
    templates,
)
from ldn.dosing.liquid import LiquidDose, storage_options
from ldn.safety import split_contains
from ldn.web.accounts.models import PatientProfile
from ldn.web.journal.models import Medication
from ldn.web.therapy.models import FollowUp, ReminderSettings

DATE = forms.DateInput(attrs={"type": "date"})


def _template_choices() -> list[tuple[str, str]]:
    return [(key, t.title) for key, t in templates().items()] + [("custom", "My own steps")]


class PlanForm(forms.Form):
    template = forms.ChoiceField(
        label="Plan", choices=_template_choices, widget=forms.RadioSelect, initial="ldnrt-standard"
    )
    steps = forms.CharField(
        label="Steps (for “My own steps”)",
        required=False,
        help_text="Dose in mg @ day the dose starts, e.g. 1.5@0, 3@14, 4.5@28 "
        "(1.5 mg from day 0, 3 mg from day 14, 4.5 mg from day 28 on).",
    )
    start = forms.DateField(label="First dose on", widget=DATE)
    reason = forms.CharField(
        label="Why (kept in the plan's history)",
        max_length=500,
        help_text="For example: prescribed by Dr Smith on 3 March.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, start = data.get("template"), data.get("start")
        if not key or not start:
            return data
        try:
            if key == "custom":
                data["plan"] = plan_from_steps(data.get("steps") or "", start)
            else:
                data["plan"] = templates()[key].plan(start)
        except PlanError as exc:
            self.add_error("steps" if key == "custom" else "template", str(exc))
        return data

    @property
    def plan(self) -> TitrationPlan:
        return self.cleaned_data["plan"]


class SurgeryPauseForm(forms.Form):
    surgery = forms.DateField(label="Date of surgery or procedure", widget=DATE)


class PauseForm(forms.Form):
    start = forms.DateField(label="No dose from", widget=DATE)
    end = forms.DateField(
        label="Until (leave empty: until you resume)", required=False, widget=DATE
    )
    reason = forms.CharField(label="Why", max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The last paused day must not be before the first.")
        return data


class ResumeForm(forms.Form):
    on = forms.DateField(label="First dose again on", widget=DATE)


SYRINGES = [
    ("0.1", "0.1 ml marks (1 ml oral syringe)"),
    ("0.2", "0.2 ml marks"),
    ("0.5", "0.5 ml marks"),
    ("0.05", "0.05 ml marks"),
    ("0.01", "0.01 ml marks"),
]


class LiquidForm(forms.Form):
    tablet_mg = forms.FloatField(label="Tablet strength (mg)", initial=50)
    water_ml = forms.FloatField(label="Water (ml)", initial=50)
    dose_mg = forms.FloatField(label="Prescribed dose (mg)", initial=4.5)
    syringe_resolution_ml = forms.TypedChoiceField(
        label="Syringe graduation", choices=SYRINGES, coerce=float, initial="0.1"
    )
    preparation = forms.ChoiceField(label="How it is prepared", initial="plain_water")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preparation"].choices = [
            (key, s.title) for key, s in storage_options().items() if key != "compounded_capsules"
        ]
        for name in ("tablet_mg", "water_ml", "dose_mg"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["result"] = liquid_dose(
                data["tablet_mg"],
                data["water_ml"],
                data["dose_mg"],
                syringe_resolution_ml=data["syringe_resolution_ml"],
                preparation=data["preparation"],
            )
        except LiquidError as exc:
            field = str(exc).split()[0]
            self.add_error(field if field in self.fields else None, str(exc))
        return data

    @property
    def result(self) -> LiquidDose:
        return self.cleaned_data["result"]


class MedicationForm(forms.ModelForm):
    """Name plus, optionally, the active ingredients printed on the pack.

    The ingredients are kept with the name as "Name (contains: a, b)", the form the screen reads,
    so an unrecognised product is screened by what it contains.
    """

    contains = forms.CharField(
        label="Contains (active ingredients on the pack)",
        required=False,
        max_length=110,
        help_text="Optional. Copy the active ingredients from the pack or leaflet, separated by "
        "commas, e.g. “tramadol, paracetamol”. Needed when the name is not recognised.",
    )
    error_messages = {
        "too_long": "Name and ingredients together must be at most %(limit)d characters "
        "(got %(length)d); shorten the name, e.g. leave out the strength.",
    }

    class Meta:
        model = Medication
        fields = [
            "name",
            "contains",
            "dose",
            "unit",
            "form",
            "schedule",
            "started_on",
            "prescriber",
        ]
        labels = {"name": "Medication or product name", "form": "Form (tablet, syrup…)"}
        help_texts = {"name": "As on the label, e.g. “Percocet 5/325” or “oxycodone HCl 5 mg”."}
        widgets = {"started_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            name, contains = split_contains(self.instance.name)
            self.initial["name"] = name
            self.initial["contains"] = ", ".join(contains)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = (data.get("name") or "").strip()
        contains = ", ".join(split_contains(f"x contains: {data.get('contains') or ''}")[1])
        full = f"{name} (contains: {contains})" if contains else name
        limit = Medication._meta.get_field("name").max_length or 120
        if name and len(full) > limit:
            self.add_error(
                "contains",
                forms.ValidationError(
                    self.error_messages["too_long"],
                    code="too_long",
                    params={"limit": limit, "length": len(full)},
                ),
            )
        data["name"] = full
        return data


class StopMedicationForm(forms.Form):
    stopped_on = forms.DateField(label="Stopped on", widget=DATE)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="What did your clinician plan?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: “Dr Lee knows; LDN stopped 3 days before, restart after.”",
    )


class BedtimeForm(forms.ModelForm):
    """Edits only PatientProfile.bedtime (the view saves with update_fields)."""

    class Meta:
        model = PatientProfile
        fields = ["bedtime"]
        labels = {"bedtime": "Bedtime dose at"}
        help_texts = {"bedtime": ""}
        widgets = {"bedtime": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class EmailRemindersForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["email_missed_dose", "email_follow_up"]


class FollowUpForm(forms.ModelForm):
    when = forms.DateTimeField(
        label="Appointment (your local time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    class Meta:
        model = FollowUp
        fields = ["when", "note"]
        labels = {"note": "Note (optional)"}
