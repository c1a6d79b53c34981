"""Loads the YAML data files that hold every clinical number used by the dosing package."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ldn import datafiles


@dataclass(frozen=True)
class Reference:
    """One source as read: enough to find it again and to see what it said."""

    key: str
    authors: str
    year: int | None
    title: str
    journal: str
    pmid: str | None = None
    doi: str | None = None
    note: str | None = None
    read_at: str | None = None

    def citation(self) -> str:
        """A one-line citation with PMID/DOI when known, else the address it was read at."""
        year = self.year if self.year is not None else "n.d."
        parts = [f"{self.authors} ({year}). {self.title}. {self.journal}."]
        if self.pmid:
            parts.append(f"PMID {self.pmid}.")
        if self.doi:
            parts.append(f"doi:{self.doi}.")
        if not self.pmid and not self.doi and self.read_at:
            parts.append(self.read_at)
        return " ".join(parts)


def load_yaml(name: str) -> Any:
    """Read one YAML file shipped in ldn/dosing/data."""
    return datafiles.load("ldn.dosing", f"data/{name}")


@cache
def references() -> dict[str, Reference]:
    """Every dosing reference by key."""
    raw = load_yaml("references.yaml")["references"]
    out: dict[str, Reference] = {}
    for key, item in raw.items():
        out[key] = Reference(
            key=key,
            authors=str(item["authors"]),
            year=item.get("year"),
            title=" ".join(str(item["title"]).split()),
            journal=str(item["journal"]),
            pmid=item.get("pmid"),
            doi=item.get("doi"),
            note=" ".join(str(item["note"]).split()) if item.get("note") else None,
            read_at=item.get("read_at"),
        )
    return out


def cite(keys: list[str] | tuple[str, ...]) -> tuple[Reference, ...]:
    """Resolve reference keys, failing loudly on a key missing from references.yaml."""
    refs = references()
    missing = [k for k in keys if k not in refs]
    if missing:
        raise KeyError(f"unknown dosing reference keys: {missing}")
    return tuple(refs[k] for k in keys)
