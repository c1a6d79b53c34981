"""Forms: each binds input, asks the core, and puts the core's own message at the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.utils import ErrorDict

from ldn.dosing import (
    DoseRefused,
    LiquidError,
    PlanError,
    PlanStep,
    TitrationPlan,
    check_doses,
    liquid_dose,
    templates,
)
from ldn.dosing.liquid import LiquidDose, storage_options
from ldn.safety import split_contains
from ldn.web.accounts.models import PatientProfile
from ldn.web.journal.models import Medication
from ldn.web.therapy.dose_confirm import HighDoseConfirmField, apply_dose_rule
from ldn.web.therapy.models import FollowUp, ReminderSettings

DATE = forms.DateInput(attrs={"type": "date"})
OWN_STEPS = "custom"  # the stored name of a plan made of the patient's own steps
OWN_STEPS_LABEL = "My own steps (enter them below)"
STEP_ROWS = 4  # empty rows offered; "More rows" adds as many again (no JavaScript needed)


def _template_choices() -> list[tuple[str, str]]:
    return [(key, t.title) for key, t in templates().items()] + [(OWN_STEPS, OWN_STEPS_LABEL)]


class StepRowForm(forms.Form):
    """One row of "My own steps": a dose, from which date, for how many days (blank: on)."""

    dose_mg = forms.FloatField(
        label="Dose (mg)",
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    starts = forms.DateField(label="From", widget=DATE)
    days = forms.IntegerField(
        label="For how many days",
        required=False,
        min_value=1,
        max_value=3650,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean_dose_mg(self) -> float:
        dose = self.cleaned_data["dose_mg"]
        try:
            check_doses([dose], parameter="the dose")
        except DoseRefused as exc:
            raise forms.ValidationError(sentence(str(exc)), code="dose_refused") from None
        return dose


class BaseStepRows(forms.BaseFormSet):
    adding = False  # "More rows" re-shows the rows as typed, without judging them yet

    def full_clean(self) -> None:
        if not self.adding:
            super().full_clean()
            return
        self._errors, self._non_form_errors = [], self.error_class()
        for form in self.forms:
            form._errors, form.cleaned_data = ErrorDict(), {}


StepRows = forms.formset_factory(
    StepRowForm, formset=BaseStepRows, extra=STEP_ROWS, max_num=40, validate_max=True
)


def sentence(message: str) -> str:
    """A core message as a sentence on screen: capital first letter, full stop."""
    text = message[:1].upper() + message[1:]
    return text if text.endswith(".") else text + "."


def steps_from_rows(rows: list[dict[str, Any]]) -> tuple[Any, tuple[PlanStep, ...]]:
    """(start date, steps) from filled rows sorted by date; each row must begin where the one
    before ends. Raises PlanError naming the row."""
    rows = sorted(rows, key=lambda r: r["starts"])
    if not rows:
        raise PlanError("enter at least one step: a dose and the date it starts")
    start = rows[0]["starts"]
    steps = []
    for i, row in enumerate(rows):
        from_day = (row["starts"] - start).days
        nxt = rows[i + 1]["starts"] if i + 1 < len(rows) else None
        to_day = from_day + row["days"] if row.get("days") else None
        if nxt is not None:
            next_day = (nxt - start).days
            if next_day == from_day:
                raise PlanError(f"two steps start on the same day, {row['starts']:%-d %B %Y}")
            if to_day is not None and to_day != next_day:
                raise PlanError(
                    f"the {row['dose_mg']:g} mg step from {row['starts']:%-d %B %Y} lasts "
                    f"{row['days']} days, so the next step should start on "
                    f"{start + dt.timedelta(days=to_day):%-d %B %Y}, not {nxt:%-d %B %Y}"
                )
            to_day = next_day
        steps.append(PlanStep(dose_mg=row["dose_mg"], from_day=from_day, to_day=to_day))
    return start, tuple(steps)


def own_step_rows(plan: TitrationPlan | None) -> list[dict[str, Any]] | None:
    """The rows (dose, from, for how many days) of a plan made of own steps, to edit it."""
    if plan is None or plan.name != OWN_STEPS:
        return None
    return [
        {
            "dose_mg": step.dose_mg,
            "starts": plan.start + dt.timedelta(days=step.from_day),
            "days": None if step.to_day is None else step.to_day - step.from_day,
        }
        for step in plan.steps
    ]


class PlanForm(forms.Form):
    template = forms.ChoiceField(
        label="Plan", choices=_template_choices, widget=forms.RadioSelect, initial="ldnrt-standard"
    )
    start = forms.DateField(
        label="First dose on",
        widget=DATE,
        required=False,
        help_text="For a template. Your own steps start on the date of their first row.",
    )
    reason = forms.CharField(
        label="Why (kept in the plan's history)",
        max_length=500,
        help_text="For example: prescribed by Dr Smith on 3 March.",
    )
    confirm_high_dose = HighDoseConfirmField()

    def __init__(
        self, data: Any = None, *args: Any, current: TitrationPlan | None = None, **kwargs: Any
    ) -> None:
        """`current`: the plan in force; a plan of own steps is offered again as its rows."""
        if data is None and current is not None and current.name == OWN_STEPS:
            kwargs.setdefault("initial", {})["template"] = OWN_STEPS
        self.adding_rows = bool(data and data.get("more_rows"))
        if self.adding_rows:
            data = data.copy()
            count = data.get("step-TOTAL_FORMS", "0")
            data["step-TOTAL_FORMS"] = str(int(count) + STEP_ROWS if count.isdigit() else 0)
        super().__init__(data, *args, **kwargs)
        self.high_dose = None
        self.rows = StepRows(
            data,
            prefix="step",
            form_kwargs={"use_required_attribute": False},
            initial=None if data is not None else own_step_rows(current),
        )
        self.rows.adding = self.adding_rows

    def full_clean(self) -> None:
        if not self.adding_rows:
            super().full_clean()
            return
        self._errors, self.cleaned_data = ErrorDict(), {}

    def is_valid(self) -> bool:
        """Never valid while "More rows" re-shows the rows: nothing is saved on that click."""
        return not self.adding_rows and super().is_valid()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key = data.get("template")
        if not key:
            return data
        try:
            if key == OWN_STEPS:
                plan = self._own_plan()
            elif data.get("start") is None:
                self.add_error("start", "Give the date of the first dose.")
                return data
            else:
                plan = templates()[key].plan(data["start"])
        except PlanError as exc:
            self.add_error(None if key == OWN_STEPS else "template", sentence(str(exc)))
            return data
        if plan is not None and apply_dose_rule(
            self, "template", [s.dose_mg for s in plan.steps], parameter="the dose"
        ):
            data["plan"] = plan
        return data

    def _own_plan(self) -> TitrationPlan | None:
        if not self.rows.is_valid():
            self.add_error(None, "Some step rows need correcting: see the rows below.")
            return None
        filled = [f.cleaned_data for f in self.rows.forms if f.cleaned_data]
        start, steps = steps_from_rows(filled)
        return TitrationPlan(start=start, steps=steps, name=OWN_STEPS)

    @property
    def plan(self) -> TitrationPlan:
        return self.cleaned_data["plan"]


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
    dose_mg = forms.FloatField(label="Prescribed dose (mg)")
    syringe_resolution_ml = forms.TypedChoiceField(
        label="Syringe graduation", choices=SYRINGES, coerce=float, initial="0.1"
    )
    preparation = forms.ChoiceField(label="How it is prepared", initial="plain_water")
    confirm_high_dose = HighDoseConfirmField()

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
        if apply_dose_rule(self, "dose_mg", [data["dose_mg"]], parameter="the dose") is None:
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
            if field in self.fields:  # the core names its parameter; the screen names the field
                self.add_error(field, sentence(str(exc).replace(field, self._label(field))))
            else:
                self.add_error(None, sentence(str(exc)))
        return data

    def _label(self, name: str) -> str:
        return str(self.fields[name].label)

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
    """The e-mail choices; the thyroid-tests one only for a patient the thyroid co-watch fits."""

    class Meta:
        model = ReminderSettings
        fields = ["email_missed_dose", "email_follow_up", "email_thyroid_labs"]

    def __init__(self, *args: Any, thyroid: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not thyroid:
            del self.fields["email_thyroid_labs"]


class FeedRemindersForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["feed_thyroid_labs"]


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
