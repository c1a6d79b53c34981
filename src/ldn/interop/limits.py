"""The one definition of each journal field (type, unit, range, length), read from data/limits.yaml.

The check-in form, the models and their CHECK constraints, every importer and the export's JSON
Schema take their numbers from here; tests/interop/test_limits_agree.py fails when one drifts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Literal

from ldn import datafiles

FieldType = Literal["integer", "number", "text"]


@dataclass(frozen=True)
class FieldLimit:
    """Type, bounds and length of one journal field."""

    name: str
    type: FieldType
    min: float | None = None
    max: float | None = None
    decimals: int | None = None  # digits kept after the point (numbers only)
    max_length: int | None = None  # characters (text only)
    unit: str = ""

    def problem(self, value: Any, label: str | None = None) -> str | None:
        """Why `value` breaks this field's rule (naming field, rule and value), or None."""
        label = label or self.name
        if self.type == "text":
            if not isinstance(value, str):
                return f"{label} must be text, got {value!r}"
            if "\x00" in value:
                return f"{label} must not contain NUL characters"
            if self.max_length is not None and len(value) > self.max_length:
                return f"{label} must be at most {self.max_length} characters, got {len(value):,}"
            return None
        kind = "a whole number" if self.type == "integer" else "a number"
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_number or (self.type == "integer" and not float(value).is_integer()):
            return f"{label} must be {kind}, got {value!r}"
        assert self.min is not None and self.max is not None  # numbers always have bounds
        if value != value or not self.min <= value <= self.max:
            return f"{label} must be between {self.min:g} and {self.max:g}, got {value}"
        return None

    def stored(self, value: float) -> float:
        """The value as the database keeps it (rounded to `decimals`)."""
        return round(value, self.decimals) if self.decimals is not None else value


@cache
def _doc() -> dict[str, Any]:
    loaded: dict[str, Any] = datafiles.load("ldn.interop", "data/limits.yaml")
    return loaded


@cache
def field_limits() -> dict[str, FieldLimit]:
    """Every field's limit by name."""
    return {
        name: FieldLimit(
            name=name,
            type=spec["type"],
            min=spec.get("min"),
            max=spec.get("max"),
            decimals=spec.get("decimals"),
            max_length=spec.get("max_length"),
            unit=str(spec.get("unit", "")),
        )
        for name, spec in _doc()["fields"].items()
    }


def field_limit(name: str) -> FieldLimit:
    try:
        return field_limits()[name]
    except KeyError:
        raise KeyError(f"no limit is defined for field {name!r} in limits.yaml") from None


def max_file_bytes() -> int:
    return int(_doc()["max_file_bytes"])


def max_new_symptoms() -> int:
    return int(_doc()["max_new_symptoms"])


def max_list_items() -> int:
    return int(_doc()["max_list_items"])


def max_json_depth() -> int:
    return int(_doc()["max_json_depth"])


def earliest_day() -> date:
    value = _doc()["earliest_day"]
    return value if isinstance(value, date) else date.fromisoformat(str(value))
