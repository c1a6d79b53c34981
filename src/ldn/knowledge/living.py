"""The sourced statements of data/living.yaml, resolved against every bibliography we keep.

A statement cites keys of its own `references:` list, of the knowledge references.yaml or of the
bibliography (ldn/data/bibliography.yaml); `ours: true` marks our suggestion (no source needed, labelled so).
`check_living` reports every problem with a stable code, like ldn.knowledge.citations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ldn import bibliography, datafiles
from ldn.knowledge.loader import DATA_DIR, KnowledgeError

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


def _bibliography(own: list[dict[str, Any]]) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for key, ref in bibliography.entries().items():
        out[key] = Source(key, ref.citation(), ref.read_at[0] if ref.read_at else None, ref.note)
    for raw in [*_read(DATA_DIR / "references.yaml"), *own]:
        out[raw["key"]] = _knowledge_citation(raw)
    return out


def check_living(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, message) for every problem: L001 unsourced and not ours, L002 unknown key,
    L003 own reference never cited, L004 a suggestion that claims a source."""
    own = raw.get("references") or []
    known = _bibliography(own)
    problems, used = [], set()
    for key, item in (raw.get("statements") or {}).items():
        refs, ours = item.get("refs") or [], bool(item.get("ours"))
        if not refs and not ours:
            problems.append(("L001", f"{key}: no source and not marked ours"))
        if refs and ours:
            problems.append(("L004", f"{key}: marked ours but cites {refs}"))
        for ref in refs:
            used.add(ref)
            if ref not in known:
                problems.append(("L002", f"{key}: unknown reference {ref!r}"))
    for ref in own:
        if ref["key"] not in used:
            problems.append(("L003", f"reference {ref['key']!r} is never cited"))
    return problems


@cache
def statements(path: Path = LIVING) -> dict[str, Statement]:
    raw = _read(path)
    problems = check_living(raw)
    if problems:
        raise KnowledgeError("; ".join(f"{code} {msg}" for code, msg in problems))
    known = _bibliography(raw.get("references") or [])
    return {
        key: Statement(
            key,
            " ".join(str(item["text"]).split()),
            bool(item.get("ours")),
            tuple(known[r] for r in item.get("refs") or []),
        )
        for key, item in raw["statements"].items()
    }
