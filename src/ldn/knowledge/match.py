"""Match a user's condition name (any case, typos, abbreviations) to a condition slug."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from ldn.knowledge.models import Condition, KnowledgeBase


@dataclass(frozen=True)
class ConditionMatch:
    query: str
    condition: Condition | None
    score: float
    suggestions: tuple[str, ...]


def _names(cond: Condition) -> list[str]:
    return [cond.name, cond.slug.replace("-", " "), *cond.aliases]


def match_condition(kb: KnowledgeBase, query: str, threshold: float = 80.0) -> ConditionMatch:
    """Best condition for the query, or None with the closest names when nothing is close enough.

    Scoring takes, per condition, the best of WRatio over its name, slug and aliases; exact
    alias hits ('MS', 'IBD') win outright so short abbreviations are not fuzzed into others.
    """
    q = utils.default_process(query)
    if not q:
        return ConditionMatch(query, None, 0.0, tuple(c.name for c in kb.conditions[:5]))
    scored: list[tuple[float, Condition]] = []
    for cond in kb.conditions:
        names = [utils.default_process(n) for n in _names(cond)]
        if q in names:
            return ConditionMatch(query, cond, 100.0, ())
        best = process.extractOne(q, names, scorer=fuzz.WRatio)
        prefix = 95.0 if len(q) >= 4 and any(n.startswith(q) for n in names) else 0.0
        scored.append((max(best[1] if best else 0.0, prefix), cond))
    scored.sort(key=lambda t: -t[0])
    top_score, top = scored[0]
    if top_score >= threshold and (len(scored) < 2 or top_score > scored[1][0]):
        return ConditionMatch(query, top, top_score, ())
    return ConditionMatch(query, None, top_score, tuple(c.name for _, c in scored[:5]))
