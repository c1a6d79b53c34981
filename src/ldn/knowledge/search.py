"""Typo-tolerant search across the knowledge base, for the web pages and the CLI."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from ldn.knowledge.models import KnowledgeBase

_WORD = re.compile(r"[\w']+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    kind: str  # condition | misconception | side-effect | safe-use | habit | reference
    title: str
    slug: str
    anchor: str
    snippet: str
    score: float


@dataclass(frozen=True)
class _Doc:
    kind: str
    title: str
    slug: str
    anchor: str
    text: str


def _documents(kb: KnowledgeBase) -> list[_Doc]:
    docs: list[_Doc] = []
    for c in kb.conditions:
        body = " ".join([c.summary.text, " ".join(c.aliases), c.grade_rationale])
        docs.append(_Doc("condition", c.name, c.slug, c.slug, body))
    for m in kb.misconceptions.items:
        docs.append(_Doc("misconception", m.myth, "misconceptions", m.slug, m.clarification.text))
    for e in kb.side_effects.items:
        docs.append(_Doc("side-effect", e.name, "side-effects", e.slug, e.description.text))
    for t in kb.safe_use.items:
        docs.append(_Doc("safe-use", t.title, "safe-use", t.slug, t.body.text))
    for t in kb.habits_and_therapies.items:
        docs.append(_Doc("habit", t.title, "habits-and-therapies", t.slug, t.body.text))
    for r in kb.references:
        text = f"{' '.join(r.authors)} {r.year or ''} {r.journal}"
        docs.append(_Doc("reference", r.title, "references", r.key, text))
    return docs


def _word_score(query_words: list[str], words: list[str]) -> float:
    """Mean over query words of the best fuzzy match among document words (typo tolerance)."""
    if not query_words or not words:
        return 0.0
    total = 0.0
    for q in query_words:
        best = 0.0
        for w in words:
            if w.startswith(q) and len(q) >= 3:
                best = 100.0
                break
            best = max(best, fuzz.ratio(q, w))
        total += best
    return total / len(query_words)


def _snippet(text: str, query_words: list[str], width: int = 160) -> str:
    lower = text.lower()
    pos = -1
    for q in query_words:
        pos = lower.find(q[:4])
        if pos >= 0:
            break
    start = max(0, pos - width // 3) if pos >= 0 else 0
    piece = text[start : start + width].strip()
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(text) else "")


def search(
    kb: KnowledgeBase, query: str, limit: int = 20, min_score: float = 70.0
) -> list[SearchHit]:
    """Hits ranked by score; titles weigh more than body text so a condition name wins."""
    query_words = [w.lower() for w in _WORD.findall(query)]
    if not query_words:
        return []
    hits: list[SearchHit] = []
    for doc in _documents(kb):
        title_words = [w.lower() for w in _WORD.findall(doc.title)]
        body_words = [w.lower() for w in _WORD.findall(doc.text)]
        title_score = _word_score(query_words, title_words)
        body_score = _word_score(query_words, body_words)
        score = max(title_score + 5.0, body_score)
        if score >= min_score:
            hits.append(
                SearchHit(
                    doc.kind,
                    doc.title,
                    doc.slug,
                    doc.anchor,
                    _snippet(doc.text, query_words),
                    round(min(score, 105.0), 1),
                )
            )
    hits.sort(key=lambda h: (-h.score, h.kind, h.title))
    return hits[:limit]
