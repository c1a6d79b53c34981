"""The sourced statements of data/living.yaml, resolved against every bibliography we keep.

A statement cites keys of the bibliography (ldn/data/bibliography.yaml); `ours: true` marks our
suggestion (no source needed, labelled so).
`check_living` reports every problem with a stable code, like ldn.knowledge.citations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ldn import bibliography, datafiles
from ldn.knowledge.loader import DATA_DIR, KnowledgeError, as_reference

LIVING = DATA_DIR / "living.yaml"


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    url: str | None
    note: str | None = None


@dataclass(frozen=True)
class Statement:
    key: str
    text: str
    ours: bool
    sources: tuple[Source, ...]


def _read(path: Path) -> Any:
    return datafiles.load("ldn.knowledge", f"data/{path.name}", path=path)


def _knowledge_citation(ref: dict[str, Any]) -> Source:
    authors = ref.get("authors") or []
    who = authors[0] + (" et al." if len(authors) > 2 else "") if authors else ""
    if len(authors) == 2:
        who = f"{authors[0]}, {authors[1]}"
    year = ref.get("year") or "n.d."
    parts = [f"{who} ({year}). {ref['title']}. {ref.get('journal', '')}".strip()]
    if ref.get("pmid"):
        parts.append(f"PMID {ref['pmid']}")
    if ref.get("doi"):
        parts.append(f"doi:{ref['doi']}")
    url = ref.get("url") or ref.get("checked_at")
    note = " ".join(str(ref["verification_note"]).split()) if ref.get("verification_note") else None
    return Source(ref["key"], ". ".join(parts) + ".", url, note)


@cache
def _bibliography() -> dict[str, Source]:
    """Every bibliography entry as a source line: entries with an author list (the knowledge
    base's shape) cite as the knowledge pages do, the others as the dosing pages do."""
    out: dict[str, Source] = {}
    for key, ref in bibliography.entries().items():
        raw = bibliography.raw_entries()[key]
        if isinstance(raw.get("authors"), list):
            out[key] = _knowledge_citation(as_reference(raw))
        else:
            out[key] = Source(
                key, ref.citation(), ref.read_at[0] if ref.read_at else None, ref.note
            )
    return out


def check_living(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, message) for every problem: L001 unsourced and not ours, L002 unknown key,
    L004 a suggestion that claims a source. (L003, an own reference never cited, went with the
    own list: tests/test_bibliography.py checks every bibliography entry is cited.)"""
    known = _bibliography()
    problems = []
    for key, item in (raw.get("statements") or {}).items():
        refs, ours = item.get("refs") or [], bool(item.get("ours"))
        if not refs and not ours:
            problems.append(("L001", f"{key}: no source and not marked ours"))
        if refs and ours:
            problems.append(("L004", f"{key}: marked ours but cites {refs}"))
        for ref in refs:
            if ref not in known:
                problems.append(("L002", f"{key}: unknown reference {ref!r}"))
    return problems


@cache
def statements(path: Path = LIVING) -> dict[str, Statement]:
    raw = _read(path)
    problems = check_living(raw)
    if problems:
        raise KnowledgeError("; ".join(f"{code} {msg}" for code, msg in problems))
    known = _bibliography()
    return {
        key: Statement(
            key,
            " ".join(str(item["text"]).split()),
            bool(item.get("ours")),
            tuple(known[r] for r in item.get("refs") or []),
        )
        for key, item in raw["statements"].items()
    }
