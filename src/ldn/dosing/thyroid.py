"""Who gets the thyroid co-watch: Hashimoto's or hypothyroidism AND a thyroid hormone.

Matching is by plain words in the profile's conditions and the medication names; a name we do
not recognise is simply not matched (the co-watch is an extra, not a safety screen).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
