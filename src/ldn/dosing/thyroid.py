"""Who gets the thyroid co-watch: Hashimoto's or hypothyroidism AND a thyroid hormone.

Matching is by plain words in the profile's conditions and the medication names; a name we do
not recognise is simply not matched (the co-watch is an extra, not a safety screen).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

CONDITION_WORDS = ("hashimoto", "hypothyroid", "underactive thyroid", "autoimmune thyroiditis")
HORMONE_WORDS = (
    "levothyroxine", "liothyronine", "thyroid extract", "desiccated thyroid", "armour thyroid",
    "np thyroid", "synthroid", "euthyrox", "eltroxin", "tirosint", "cytomel", "thyroxine",
)  # fmt: skip
WATCH_ITEMS = {
    "palpitations": "Palpitations",
    "racing_night": "Racing heart at night",
    "heat_intolerance": "Feeling too hot",
    "anxiety": "Anxiety or jitteriness",
    "tremor": "Tremor or shakiness",
}
WATCH_DAYS = 28  # our suggestion ("a few weeks" in the brief; no source gives a number)
LAB_DAYS = 75  # our suggestion: between the 2 and 3 months we suggest for discussing labs


@dataclass(frozen=True)
class ThyroidMatch:
    conditions: tuple[str, ...]
    hormones: tuple[str, ...]


def _hits(values: Iterable[str], words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v for v in values if any(w in v.lower() for w in words))


def thyroid_cowatch(conditions: Iterable[str], medications: Iterable[str]) -> ThyroidMatch | None:
    """The matching conditions and thyroid hormones, or None unless both are present."""
    conds, meds = _hits(conditions, CONDITION_WORDS), _hits(medications, HORMONE_WORDS)
    return ThyroidMatch(conds, meds) if conds and meds else None


def lab_reminder_due(anchor: date, today: date) -> date | None:
    """The latest labs reminder day on or before `today`: every LAB_DAYS after `anchor` (the last
    logged TSH/free T4, else the first LDN dose); None before the first one is due."""
    if today < anchor:
        return None
    k = (today - anchor).days // LAB_DAYS
    return anchor + timedelta(days=k * LAB_DAYS) if k >= 1 else None
