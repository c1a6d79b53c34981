"""Knowledge base: conditions and evidence, misconceptions, side effects, safe use, habits,
organisations and one bibliography, each claim tied to references we have read."""

from ldn.knowledge.citations import CitationFinding, check_citations
from ldn.knowledge.loader import DATA_DIR, KnowledgeError, build, load_knowledge, read_raw
from ldn.knowledge.match import ConditionMatch, match_condition
from ldn.knowledge.models import (
    Claim,
    Condition,
    Grade,
    KnowledgeBase,
    Misconception,
    Reference,
    SideEffect,
    Study,
    Topic,
)
from ldn.knowledge.search import SearchHit, search

__all__ = [
    "DATA_DIR",
    "CitationFinding",
    "Claim",
    "Condition",
    "ConditionMatch",
    "Grade",
    "KnowledgeBase",
    "KnowledgeError",
    "Misconception",
    "Reference",
    "SearchHit",
    "SideEffect",
    "Study",
    "Topic",
    "build",
    "check_citations",
    "load_knowledge",
    "match_condition",
    "read_raw",
    "search",
]
