"""The dose rule on a Django form: one checkbox field and one function every dose form calls.

A form that takes a dose declares `confirm_high_dose = HighDoseConfirmField()` and calls
`apply_dose_rule(form, field, doses)` from its clean. A dose above the usual range shows the
checkbox (template partial therapy/_dose_confirm.html) naming the dose and the range; the ticked
box carries the doses it confirms, so changing the dose asks again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from ldn.dosing import DoseCheck, DoseRefused, check_doses, usual_range


class _ConfirmCheckbox(forms.CheckboxInput):
    """A checkbox whose value is the confirmed doses' key, ticked only if that key came back."""

    def __init__(self, key: str) -> None:
        super().__init__(attrs={"value": key}, check_test=lambda v: v == key)

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        return data.get(name, "")

    def format_value(self, value: Any) -> str | None:
        return None  # the value attribute is the key, whatever was submitted


class HighDoseConfirmField(forms.CharField):
    """Hidden (and empty) until a dose above the usual range is entered; then a checkbox."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Confirm a dose above the usual range")
        super().__init__(widget=forms.HiddenInput, **kwargs)


def above_usual_range(raw: Any) -> bool:
    """Whether submitted text is a number above the usual range: for forms that add the
    confirmation field only when it is needed (their templates render every field)."""
    try:
        return float(str(raw)) > usual_range().max_mg
    except ValueError:
        return False


def apply_dose_rule(
    form: forms.Form, field: str, doses: Iterable[float], *, parameter: str | None = None
) -> DoseCheck | None:
    """Refused doses error at `field`; an unconfirmed high dose errors at the checkbox.

    Sets `form.high_dose` to the check when a confirmation is (or was) asked, for the template.
    Returns the check when the doses pass, None when an error was added.
    """
    try:
        check = check_doses(doses, parameter=parameter or field)
    except DoseRefused as exc:
        text = str(exc)
        form.add_error(field, text[:1].upper() + text[1:] + ".")
        return None
    form.high_dose = check if check.needs_confirmation else None  # type: ignore[attr-defined]
    if check.needs_confirmation:  # generic form partials then show the checkbox and its label
        form.fields["confirm_high_dose"].widget = _ConfirmCheckbox(check.key)
        form.fields["confirm_high_dose"].label = check.confirmation_label
        form._bound_fields_cache.pop("confirm_high_dose", None)  # BoundField copied the label
    # Read from the submitted data, so the checkbox may come anywhere in the form's field order.
    if check.needs_confirmation and (form["confirm_high_dose"].value() or "") != check.key:
        form.add_error("confirm_high_dose", check.message)
        return None
    return check
