"""LDN dose forms (capsules, liquid, sublingual drops, cream) with cited instructions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ldn.dosing._data import Reference, cite, load_yaml
from ldn.dosing.errors import PlanError


@dataclass(frozen=True)
class DoseForm:
    """A form LDN is dispensed in and how to take it, with sources."""

    key: str
    title: str
    instructions: str
    references: tuple[Reference, ...]


@cache
def dose_forms() -> dict[str, DoseForm]:
    """All dose forms by key."""
    raw = load_yaml("forms.yaml")["forms"]
    return {
        key: DoseForm(
            key=key,
            title=str(item["title"]),
            instructions=" ".join(str(item["instructions"]).split()),
            references=cite(item["references"]),
        )
        for key, item in raw.items()
    }


def dose_form(key: str) -> DoseForm:
    """One dose form, naming the valid keys when `key` is unknown."""
    forms = dose_forms()
    if key not in forms:
        raise PlanError(f"dose form must be one of {sorted(forms)}, got {key!r}")
    return forms[key]
