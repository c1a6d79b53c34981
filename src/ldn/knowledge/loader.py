"""Load the YAML data files into a validated KnowledgeBase (one topic per file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ldn import datafiles
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


def read_raw(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """The data as plain dicts, before validation (tests mutate this to prove rules bite)."""
    general = _read(data_dir / "general.yaml")
    conditions = [_read(p) for p in sorted((data_dir / "conditions").glob("*.yaml"))]
    return {
        "grades": general["grades"],
        "disclaimer": general["disclaimer"],
        "about": general["about"],
        "conditions": conditions,
        "misconceptions": _read(data_dir / "misconceptions.yaml"),
        "side_effects": _read(data_dir / "side_effects.yaml"),
        "safe_use": _read(data_dir / "safe_use.yaml"),
        "habits_and_therapies": _read(data_dir / "habits_and_therapies.yaml"),
        "organisations": _read(data_dir / "organisations.yaml"),
        "references": _read(data_dir / "references.yaml"),
    }


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
