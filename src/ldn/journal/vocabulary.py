"""The words the journal offers: symptom presets per condition, rating anchors, side effects.

These are interface vocabulary, not clinical claims: the anchors describe what a number on our
0-10 scale means so that a patient rates consistently from day to day.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ldn import bibliography, datafiles

# Our 0-10 scale: higher is worse, as on an 11-point numeric rating scale.
RATING_ANCHORS: dict[int, str] = {
    0: "None",
    2: "Mild: noticeable, does not interfere",
    5: "Moderate: interferes with some activities",
    8: "Severe: hard to do much else",
    10: "As bad as I can imagine",
}


SUGGESTIONS_FILE = Path(__file__).parent / "data" / "symptom_suggestions.yaml"
OUR_SUGGESTION = "our suggestion"


@dataclass(frozen=True)
class SymptomPreset:
    key: str
    name: str
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """One symptom offered to a patient, with why: a core outcome set, or our own choice."""

    key: str
    name: str
    condition: str  # a knowledge-base condition slug, or "all"
    citation: str  # the reference's citation, or "our suggestion"

    @property
    def is_ours(self) -> bool:
        return self.citation == OUR_SUGGESTION


def _citation(ref: bibliography.Reference) -> str:
    year = f" ({ref.year})" if ref.year else ""
    return f"{(ref.authors or '').split(',')[0]} et al.{year} {ref.title}. {ref.journal}."


@cache
def _suggestions() -> tuple[Suggestion, ...]:
    raw = datafiles.load("ldn.journal", "data/symptom_suggestions.yaml")
    names = raw["symptoms"]
    out = []
    groups = [("all", raw["general"])] + list(raw["conditions"].items())
    for condition, items in groups:
        for item in items:
            if item["symptom"] not in names:
                raise ValueError(f"{SUGGESTIONS_FILE.name}: unknown symptom {item['symptom']!r}")
            citation = (
                _citation(bibliography.get(item["ref"], cited_in=SUGGESTIONS_FILE.name))
                if "ref" in item
                else item["source"]
            )
            if citation != OUR_SUGGESTION and "ref" not in item:
                raise ValueError(f"{SUGGESTIONS_FILE.name}: {item} needs a ref or 'our suggestion'")
            out.append(Suggestion(item["symptom"], names[item["symptom"]], condition, citation))
    return tuple(out)


def suggestions_for(conditions: list[str] | tuple[str, ...]) -> list[Suggestion]:
    """Symptoms offered for these condition slugs: the patient's conditions first (in their
    order), then the general ones; each symptom once, with the first reason found."""
    wanted = [*conditions, "all"]
    seen: set[str] = set()
    out = []
    for condition in wanted:
        for s in _suggestions():
            if s.condition == condition and s.key not in seen:
                seen.add(s.key)
                out.append(s)
    return out


def _presets() -> tuple[SymptomPreset, ...]:
    by_key: dict[str, list[str]] = {}
    names = {}
    for s in _suggestions():
        by_key.setdefault(s.key, []).append(s.condition)
        names[s.key] = s.name
    return tuple(SymptomPreset(k, names[k], tuple(v)) for k, v in by_key.items())


# Every symptom we suggest, with the conditions it is offered for ("all": everyone).
SYMPTOM_PRESETS: tuple[SymptomPreset, ...] = _presets()


def presets_for_conditions(conditions: list[str] | tuple[str, ...]) -> list[SymptomPreset]:
    """The presets offered to a patient with these conditions, general ones first."""
    wanted = set(conditions)
    return [p for p in SYMPTOM_PRESETS if "all" in p.conditions or wanted & set(p.conditions)]


SIDE_EFFECTS: dict[str, str] = {
    "vivid_dreams": "Vivid dreams",
    "insomnia": "Trouble sleeping",
    "headache": "Headache",
    "nausea": "Nausea",
    "anxiety": "Feeling anxious or jittery",
    "other": "Other",
}

THERAPIES: dict[str, str] = {
    "physical_therapy": "Physical therapy",
    "meditation": "Meditation",
    "cbt": "CBT",
    "acupuncture": "Acupuncture",
    "yoga": "Yoga",
    "massage": "Massage",
}
