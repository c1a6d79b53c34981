"""The words the journal offers: symptom presets per condition, rating anchors, side effects.

These are interface vocabulary, not clinical claims: the anchors describe what a number on our
0-10 scale means so that a patient rates consistently from day to day.
"""

from __future__ import annotations

from dataclasses import dataclass

# Our 0-10 scale: higher is worse, as on an 11-point numeric rating scale.
RATING_ANCHORS: dict[int, str] = {
    0: "None",
    2: "Mild: noticeable, does not interfere",
    5: "Moderate: interferes with some activities",
    8: "Severe: hard to do much else",
    10: "As bad as I can imagine",
}


@dataclass(frozen=True)
class SymptomPreset:
    key: str
    name: str
    conditions: tuple[str, ...]


# "all" marks a symptom offered to everyone whatever their conditions.
SYMPTOM_PRESETS: tuple[SymptomPreset, ...] = (
    SymptomPreset("pain", "Pain", ("all",)),
    SymptomPreset("fatigue", "Fatigue", ("all",)),
    SymptomPreset("brain_fog", "Brain fog", ("fibromyalgia", "multiple-sclerosis", "long-covid")),
    SymptomPreset("low_mood", "Low mood", ("all",)),
    SymptomPreset("stiffness", "Stiffness", ("fibromyalgia", "rheumatoid-arthritis")),
    SymptomPreset("gi_symptoms", "Gut symptoms", ("crohns-disease", "inflammatory-bowel-disease")),
    SymptomPreset("skin", "Skin symptoms", ("psoriasis", "lichen-planus")),
    SymptomPreset("joint_swelling", "Joint swelling", ("rheumatoid-arthritis",)),
    SymptomPreset("numbness", "Numbness or tingling", ("multiple-sclerosis", "neuropathic-pain")),
    SymptomPreset("post_exertional_malaise", "Crash after exertion", ("long-covid", "me-cfs")),
)


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
