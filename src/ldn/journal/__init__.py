"""The patient's daily record as plain domain types: symptoms, scales, side effects, demo data."""

from ldn.journal.demo import DemoDay, DemoJournal, generate_demo_journal
from ldn.journal.questionnaires import (
    QuestionnaireError,
    QuestionnaireResult,
    instruments,
    reference,
    score_questionnaire,
)
from ldn.journal.vocabulary import (
    RATING_ANCHORS,
    SIDE_EFFECTS,
    SYMPTOM_PRESETS,
    THERAPIES,
    Suggestion,
    SymptomPreset,
    presets_for_conditions,
    suggestions_for,
)

__all__ = [
    "RATING_ANCHORS",
    "SIDE_EFFECTS",
    "SYMPTOM_PRESETS",
    "THERAPIES",
    "DemoDay",
    "QuestionnaireError",
    "QuestionnaireResult",
    "instruments",
    "reference",
    "score_questionnaire",
    "DemoJournal",
    "Suggestion",
    "SymptomPreset",
    "generate_demo_journal",
    "presets_for_conditions",
    "suggestions_for",
]
