"""Read-only views of the knowledge base that the public pages need (no Django here).

Kept apart from the core modules so the pages can ask for "the references cited on this page" or
"conditions matching a filter" without putting that logic in views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ldn.knowledge.models import Claim, Condition, KnowledgeBase, Reference
from ldn.knowledge.search import search

# Page slugs used by `search` hits for everything that is not a condition.
SECTION_TITLES: dict[str, str] = {
    "misconceptions": "Misconceptions",
    "side-effects": "Side effects",
    "safe-use": "Safe use",
    "habits-and-therapies": "Habits and therapies",
    "organisations": "Organisations",
    "references": "References",
}


@dataclass(frozen=True)
class ReferenceUse:
    """One page that cites a reference: `slug` is a condition slug or a section slug."""

    kind: str  # "condition" or "section"
    slug: str
    title: str


DIRECTION_ORDER = ("benefit", "null", "mixed", "harm", "safety-only", "unverified")


@dataclass(frozen=True)
class StudyTally:
    """How a condition's studies came out, so null results are counted next to positive ones."""

    benefit: int
    null: int
    mixed: int
    other: int
    by_direction: tuple[tuple[str, int], ...]  # non-zero counts in DIRECTION_ORDER


def _ordered(keys: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for key in keys:
        seen.setdefault(key, None)
    return list(seen)


def condition_reference_keys(cond: Condition) -> list[str]:
    """Keys cited on a condition page, in order of first appearance."""
    keys = [*cond.summary.refs, *(s.ref for s in cond.studies), *cond.typical_doses.refs]
    return _ordered(keys)


def claim_reference_keys(claims: Iterable[Claim], extra: Iterable[str] = ()) -> list[str]:
    """Keys cited by a run of claims (plus any extra keys), in order of first appearance."""
    return _ordered([*(k for c in claims for k in c.refs), *extra])


def references_for(kb: KnowledgeBase, keys: Iterable[str]) -> list[Reference]:
    return [kb.reference(k) for k in keys]


def section_reference_keys(kb: KnowledgeBase, section: str) -> list[str]:
    """Keys cited on one of the topic pages (`SECTION_TITLES` slugs)."""
    if section == "misconceptions":
        mis = kb.misconceptions
        return claim_reference_keys([mis.intro, *(m.clarification for m in mis.items)])
    if section == "side-effects":
        se = kb.side_effects
        freq = (f.ref for e in se.items for f in e.frequencies)
        return claim_reference_keys([se.intro, *(e.description for e in se.items)], freq)
    if section == "safe-use":
        return claim_reference_keys([kb.safe_use.intro, *(t.body for t in kb.safe_use.items)])
    if section == "habits-and-therapies":
        ht = kb.habits_and_therapies
        return claim_reference_keys([ht.intro, *(t.body for t in ht.items)])
    return []


def reference_uses(kb: KnowledgeBase) -> dict[str, list[ReferenceUse]]:
    """For each reference key, the pages that cite it (so the references page can link back)."""
    uses: dict[str, list[ReferenceUse]] = {r.key: [] for r in kb.references}
    for cond in sorted(kb.conditions, key=lambda c: c.name):
        for key in condition_reference_keys(cond):
            uses.setdefault(key, []).append(ReferenceUse("condition", cond.slug, cond.name))
    for slug in ("misconceptions", "side-effects", "safe-use", "habits-and-therapies"):
        for key in section_reference_keys(kb, slug):
            uses.setdefault(key, []).append(ReferenceUse("section", slug, SECTION_TITLES[slug]))
    for key in kb.about.refs:
        uses.setdefault(key, []).append(ReferenceUse("section", "about", "About LDN"))
    return uses


def tally(cond: Condition) -> StudyTally:
    directions = [s.direction for s in cond.studies]
    benefit, null, mixed = (directions.count(d) for d in ("benefit", "null", "mixed"))
    counts = tuple((d, directions.count(d)) for d in DIRECTION_ORDER if d in directions)
    return StudyTally(benefit, null, mixed, len(directions) - benefit - null - mixed, counts)


def filter_conditions(kb: KnowledgeBase, grade: str = "", text: str = "") -> list[Condition]:
    """Conditions with the grade (if given) that match the text (typo-tolerant via `search`)."""
    conditions = sorted(kb.conditions, key=lambda c: (c.grade, c.name))
    if grade:
        conditions = [c for c in conditions if c.grade == grade.upper()]
    text = text.strip()
    if text:
        needle = text.lower()
        fuzzy = {h.slug for h in search(kb, text, limit=100) if h.kind == "condition"}
        conditions = [
            c
            for c in conditions
            if c.slug in fuzzy
            or needle in c.name.lower()
            or needle in c.category.lower()
            or any(needle == a.lower() for a in c.aliases)
        ]
    return conditions


def latest_review(kb: KnowledgeBase) -> dt.date:
    """The most recent review date anywhere in the library (for pages that span all of it)."""
    dates = [c.last_reviewed for c in kb.conditions]
    dates += [
        kb.misconceptions.last_reviewed,
        kb.side_effects.last_reviewed,
        kb.safe_use.last_reviewed,
        kb.habits_and_therapies.last_reviewed,
        kb.organisations.last_reviewed,
    ]
    return max(dates)
