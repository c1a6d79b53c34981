"""Cross-record citation rules: every claim sourced, every key resolves, every reference used.

Rules are small objects reporting every finding with a stable code, so a reviewer sees all the
problems of an edit at once instead of the first one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ldn.knowledge.models import Claim, KnowledgeBase


@dataclass(frozen=True)
class CitationFinding:
    code: str
    where: str
    message: str


def iter_claims(kb: KnowledgeBase) -> Iterator[tuple[str, Claim]]:
    """Every Claim in the knowledge base with a human-readable location."""
    yield "about", kb.about
    for cond in kb.conditions:
        yield f"conditions/{cond.slug}.summary", cond.summary
        yield f"conditions/{cond.slug}.typical_doses", cond.typical_doses
    yield "misconceptions.intro", kb.misconceptions.intro
    for mis in kb.misconceptions.items:
        yield f"misconceptions/{mis.slug}", mis.clarification
    yield "side_effects.intro", kb.side_effects.intro
    for eff in kb.side_effects.items:
        yield f"side_effects/{eff.slug}", eff.description
    for name, section in (
        ("safe_use", kb.safe_use),
        ("habits_and_therapies", kb.habits_and_therapies),
    ):
        yield f"{name}.intro", section.intro
        for topic in section.items:
            yield f"{name}/{topic.slug}", topic.body


def iter_cited_keys(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """Every (location, key) pair cited anywhere: claims, study rows and frequencies."""
    for where, claim in iter_claims(kb):
        for key in claim.refs:
            yield where, key
    for cond in kb.conditions:
        for i, study in enumerate(cond.studies):
            yield f"conditions/{cond.slug}.studies[{i}]", study.ref
    for eff in kb.side_effects.items:
        for i, freq in enumerate(eff.frequencies):
            yield f"side_effects/{eff.slug}.frequencies[{i}]", freq.ref


def check_citations(kb: KnowledgeBase) -> list[CitationFinding]:
    """All citation problems: K001 unsourced claim, K002 unknown key, K003 unused reference,
    K004 duplicate key, K005 duplicate slug, K006 undefined grade."""
    findings: list[CitationFinding] = []
    keys = [ref.key for ref in kb.references]
    known = set(keys)
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        findings.append(
            CitationFinding("K004", "references", f"key {key!r} appears more than once")
        )
    for where, claim in iter_claims(kb):
        if not claim.refs:
            findings.append(
                CitationFinding("K001", where, f"claim has no source: {claim.text[:60]!r}")
            )
    used: set[str] = set()
    for where, key in iter_cited_keys(kb):
        used.add(key)
        if key not in known:
            findings.append(
                CitationFinding("K002", where, f"key {key!r} is not in ldn/data/bibliography.yaml")
            )
    for key in sorted(known - used):
        findings.append(CitationFinding("K003", "references", f"reference {key!r} is never cited"))
    slugs = [c.slug for c in kb.conditions]
    for slug in sorted({s for s in slugs if slugs.count(s) > 1}):
        findings.append(CitationFinding("K005", "conditions", f"slug {slug!r} appears twice"))
    letters = {g.letter for g in kb.grades}
    for cond in kb.conditions:
        if cond.grade not in letters:
            findings.append(
                CitationFinding("K006", f"conditions/{cond.slug}", f"grade {cond.grade} undefined")
            )
    return findings
