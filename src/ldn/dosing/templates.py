"""Cited titration templates, read from data/templates.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from ldn.dosing._data import Reference, cite, load_yaml
from ldn.dosing.errors import PlanError
from ldn.dosing.plan import TitrationPlan, parse_steps


@dataclass(frozen=True)
class PlanTemplate:
    """A published titration schedule with the sources it was transcribed from."""

    key: str
    title: str
    steps: str
    note: str
    references: tuple[Reference, ...]

    def plan(self, start: date) -> TitrationPlan:
        """This template as a plan beginning on `start`."""
        return TitrationPlan(start=start, steps=parse_steps(self.steps), name=self.key)


@cache
def templates() -> dict[str, PlanTemplate]:
    """All templates by key, in file order."""
    raw = load_yaml("templates.yaml")["templates"]
    return {
        key: PlanTemplate(
            key=key,
            title=str(item["title"]),
            steps=str(item["steps"]),
            note=" ".join(str(item.get("note", "")).split()),
            references=cite(item["references"]),
        )
        for key, item in raw.items()
    }


def template(key: str) -> PlanTemplate:
    """Look up one template, naming the valid keys when `key` is unknown."""
    found = templates().get(key)
    if found is None:
        raise PlanError(f"template must be one of {sorted(templates())}, got {key!r}")
    return found


def plan_title(name: str) -> str:
    """What a plan's stored name means to a person: a template's title, or "Your own steps"
    for a plan made of its own steps (stored as 'custom')."""
    found = templates().get(name)
    return found.title if found is not None else "Your own steps"
