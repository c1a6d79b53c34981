"""Load the YAML data files into a validated KnowledgeBase (one topic per file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ldn import bibliography, datafiles
from ldn.knowledge.citations import check_citations
from ldn.knowledge.models import KnowledgeBase

DATA_DIR = Path(__file__).parent / "data"


class KnowledgeError(ValueError):
    """The data files are malformed or their citations do not check out."""


def _read(path: Path) -> Any:
    """One knowledge file, validated against its own schema (ldn.dataschemas)."""
    name = path.relative_to(path.parent.parent if path.parent.name == "conditions" else path.parent)
    try:
        return datafiles.load("ldn.knowledge", f"data/{name.as_posix()}", path=path)
    except datafiles.DataFileError as exc:
        raise KnowledgeError(str(exc)) from exc


# The fields of models.Reference, as named in the bibliography.
_REFERENCE_FIELDS = (
    *("key", "type", "authors", "year", "title", "journal", "volume", "pages"),
    *("pmid", "doi", "url", "short_name", "verification_note"),
)


def _cited_keys(node: Any) -> list[str]:
    """Every key under a `refs` list or a `ref` field, in the order met."""
    out: list[str] = []
    if isinstance(node, dict):
        for name, value in node.items():
            if name == "refs" and isinstance(value, list):
                out.extend(str(v) for v in value)
            elif name == "ref" and isinstance(value, str):
                out.append(value)
            else:
                out.extend(_cited_keys(value))
    elif isinstance(node, list):
        for value in node:
            out.extend(_cited_keys(value))
    return out


def as_reference(raw: dict[str, Any]) -> dict[str, Any]:
    """A bibliography entry in the shape of models.Reference (checked_at: the first read_at)."""
    out = {name: raw[name] for name in _REFERENCE_FIELDS if raw.get(name) is not None}
    if isinstance(out.get("authors"), str):
        out["authors"] = [out["authors"]]
    read_at = raw.get("read_at")
    out["checked_at"] = read_at[0] if isinstance(read_at, list) else read_at
    return out


def cited_references(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The bibliography entries the knowledge files cite; an unknown key is left to check_citations
    (K002), so every problem is reported at once."""
    known = bibliography.raw_entries()
    keys = dict.fromkeys(_cited_keys(raw))
    return [as_reference(known[k]) for k in keys if k in known]


def read_raw(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """The data as plain dicts, before validation (tests mutate this to prove rules bite)."""
    general = _read(data_dir / "general.yaml")
    conditions = [_read(p) for p in sorted((data_dir / "conditions").glob("*.yaml"))]
    raw = {
        "grades": general["grades"],
        "disclaimer": general["disclaimer"],
        "about": general["about"],
        "conditions": conditions,
        "misconceptions": _read(data_dir / "misconceptions.yaml"),
        "side_effects": _read(data_dir / "side_effects.yaml"),
        "safe_use": _read(data_dir / "safe_use.yaml"),
        "habits_and_therapies": _read(data_dir / "habits_and_therapies.yaml"),
        "organisations": _read(data_dir / "organisations.yaml"),
    }
    raw["references"] = cited_references(raw)
    return raw


def build(raw: dict[str, Any], *, strict: bool = True) -> KnowledgeBase:
    """Validate raw data; with strict, also refuse any citation finding."""
    try:
        kb = KnowledgeBase.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeError(f"knowledge data failed validation: {exc}") from exc
    if strict:
        findings = check_citations(kb)
        if findings:
            listing = "; ".join(f"{f.code} {f.where}: {f.message}" for f in findings)
            raise KnowledgeError(f"{len(findings)} citation problem(s): {listing}")
    return kb


@lru_cache(maxsize=4)
def load_knowledge(data_dir: Path = DATA_DIR) -> KnowledgeBase:
    """The validated knowledge base; cached because pages and the CLI call it repeatedly."""
    return build(read_raw(data_dir))
