"""Two versions of a day's check-in as rows of label, saved answer, answer from this device."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms

from ldn.web.journal.forms import CheckInForm

SKIPPED = {"client_key", "based_on", "confirm_high_dose"}


@dataclass(frozen=True)
class Row:
    label: str
    saved: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.saved != self.yours


def rows(yours: CheckInForm, saved: dict[str, Any]) -> list[Row]:
    """Every answered question of either version, in the form's order."""
    out = []
    for name, field in yours.fields.items():
        if name in SKIPPED:
            continue
        row = Row(
            str(field.label),
            _text(field, saved.get(name)),
            _text(field, yours.cleaned_data.get(name)),
        )
        if row.saved != "—" or row.yours != "—":
            out.append(row)
    return out


def _text(field: forms.Field, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    choices = {str(k): v for k, v in getattr(field, "choices", [])}
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(str(v), v)) for v in value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return str(choices.get(str(value), value))
