"""The check-in form: one screen for a day, parsed into plain values for `services.save_checkin`."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ldn.interop.limits import field_limit
from ldn.journal import RATING_ANCHORS, SIDE_EFFECTS, THERAPIES
from ldn.web.journal.models import Symptom
from ldn.web.therapy.dose_confirm import HighDoseConfirmField, apply_dose_rule


def bounds(name: str) -> dict[str, Any]:
    """min_value/max_value (and max_length) of a journal field, from limits.yaml."""
    limit = field_limit(name)
    if limit.type == "text":
        return {"max_length": limit.max_length}
    if limit.type == "integer":
        return {"min_value": int(limit.min or 0), "max_value": int(limit.max or 0)}
    return {"min_value": Decimal(str(limit.min)), "max_value": Decimal(str(limit.max))}


SCALE = [(i, str(i)) for i in range(int(field_limit("score").max or 10) + 1)]
DOSE_CHOICES = [("taken", "Taken"), ("missed", "Missed"), ("none", "Not on LDN")]


class ScaleField(forms.TypedChoiceField):
    """A 0-10 rating shown as a row of large radio buttons."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=SCALE,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            **kwargs,
        )


class CheckInForm(forms.Form):
    # No initial answer: before bedtime tonight's dose has not been taken, and a day nobody
    # filled in must not claim a dose was taken (unanswered stores no dose at all).
    dose_status = forms.ChoiceField(
        label="LDN dose", choices=DOSE_CHOICES, widget=forms.RadioSelect, required=False
    )
    # No min/max on the field: the one dose rule (clean_dose_mg) refuses out-of-range doses
    # with its own message; its bounds equal limits.yaml's (tests/interop/test_limits_agree.py).
    dose_mg = forms.DecimalField(
        label="Dose (mg)",
        required=False,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )
    dose_time = forms.TimeField(
        label="Taken at", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    side_effects = forms.MultipleChoiceField(
        label="Side effects",
        choices=list(SIDE_EFFECTS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chips"}),
    )
    side_effect_other = forms.CharField(
        label="Other side effect", required=False, **bounds("side_effect_other")
    )
    sleep_hours = forms.DecimalField(
        label="Hours slept",
        required=False,
        **bounds("sleep_hours"),
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    sleep_quality = ScaleField(label="Sleep quality (0 = very poor, 10 = excellent)")
    stress = ScaleField(label="Stress (0 = none, 10 = extreme)")
    exercise_minutes = forms.IntegerField(
        label="Exercise (minutes)", required=False, **bounds("exercise_minutes")
    )
    water_litres = forms.DecimalField(
        label="Water (litres)", required=False, **bounds("water_litres"), decimal_places=1
    )
    alcohol_units = forms.IntegerField(
        label="Alcohol (units)", required=False, **bounds("alcohol_units")
    )
    diet_notes = forms.CharField(label="Food notes", required=False, **bounds("diet_notes"))
    tags = forms.CharField(
        label="Triggers or events",
        required=False,
        help_text="Separate with commas, e.g. weather change, late night.",
    )
    therapies = forms.MultipleChoiceField(
        label="Other therapies today",
        choices=list(THERAPIES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chips"}),
    )
    confirm_high_dose = HighDoseConfirmField()  # shown when the dose is above the usual range
    cycle_day = forms.IntegerField(
        label="Menstrual cycle day (optional)", required=False, **bounds("cycle_day")
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        **bounds("notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    # Set by checkin.js: the device's key for this save (a resend saves nothing twice) and the
    # fingerprint of the day when the form was opened (a newer save elsewhere is not overwritten).
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    based_on = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)

    error_messages = {
        "future_dose_time": "%(time)s has not come yet today (it is now %(now)s): "
        "log the dose after you have taken it.",
    }

    def __init__(
        self, *args: Any, symptoms: list[Symptom], day: date, now: datetime, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.symptoms = symptoms
        self.day = day
        self.now = now  # the patient's local time, for refusing a dose taken in the future
        for symptom in symptoms:
            self.fields[self.symptom_field(symptom)] = ScaleField(label=symptom.name)

    @staticmethod
    def symptom_field(symptom: Symptom) -> str:
        return f"symptom_{symptom.pk}"

    def scale(self, name: str) -> dict[str, Any]:
        """A 0-10 field as plain data for the template: rendering 11 widget templates per
        symptom made the check-in page slow, and the markup is simple enough to write out."""
        bound = self[name]
        value = bound.value()
        current = str(value) if value not in (None, "") else None
        name = escape(bound.html_name)
        options = [(str(i), f"id_{name}_{i}", current == str(i)) for i in range(11)]
        return {
            "name": bound.html_name,
            "label": bound.label,
            "errors": bound.errors,
            "options": options,
            # The row of 11 buttons written out here, not by a template loop (77 buttons on a
            # page with five symptoms).
            "options_html": mark_safe(  # the name is escaped above; values are digits
                "".join(
                    f'<label class="pill" for="{id_}"><input type="radio" name="{name}" '
                    f'value="{v}" id="{id_}"{" checked" if checked else ""}><span>{v}</span></label>'
                    for v, id_, checked in options
                )
            ),
        }

    def scales(self) -> list[dict[str, Any]]:
        return [self.scale(self.symptom_field(s)) for s in self.symptoms]

    def clean_dose_time(self) -> time | None:
        taken = self.cleaned_data.get("dose_time")
        if taken is not None and self.day == self.now.date() and taken > self.now.time():
            raise forms.ValidationError(
                self.error_messages["future_dose_time"],
                code="future_dose_time",
                params={"time": f"{taken:%H:%M}", "now": f"{self.now:%H:%M}"},
            )
        return taken

    def clean_dose_mg(self) -> Decimal | None:
        dose = self.cleaned_data.get("dose_mg")
        if dose is not None:  # the one dose rule (ldn.dosing.dose_rule); errors go to the form
            apply_dose_rule(self, "dose_mg", [float(dose)], parameter="the dose")
        return dose

    def clean_tags(self) -> list[str]:
        tags = [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]
        for tag in tags:
            message = field_limit("tag").problem(tag, "Each trigger or event")
            if message is not None:
                raise forms.ValidationError(message + ".", code="tag_too_long")
        return tags

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("dose_status") == "taken" and not data.get("dose_mg"):
            self.add_error("dose_mg", "Enter the dose you took, in mg (for example 4.5).")
        if "other" in data.get("side_effects", []) and not data.get("side_effect_other"):
            self.add_error("side_effect_other", "Describe the other side effect, or untick Other.")
        return data

    def scores(self) -> dict[int, int]:
        """Symptom id → score for the symptoms rated today."""
        out = {}
        for symptom in self.symptoms:
            value = self.cleaned_data.get(self.symptom_field(symptom))
            if value is not None:
                out[symptom.pk] = value
        return out


class SymptomNameForm(forms.Form):
    name = forms.CharField(
        label="Symptom name",
        max_length=80,
        error_messages={
            "required": "Give the symptom a name, for example “Pain” or “Morning stiffness”.",
            "max_length": "A symptom name can be at most 80 characters; this one has "
            "%(show_value)d.",
        },
    )


ANCHOR_TEXT = ", ".join(f"{k} = {v.split(':')[0].lower()}" for k, v in RATING_ANCHORS.items())
