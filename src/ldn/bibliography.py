"""The one bibliography (ldn/data/bibliography.yaml): every source a data file cites, by key.

Data files cite keys (`references: [younger2013]`); `get(key)` gives the entry as a Reference,
`cite(key)` its one-line citation. A key that is not in the file raises UnknownReference naming
the key, the file that cited it (when the caller says) and the bibliography file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ldn import datafiles

PACKAGE, FILE = "ldn", "data/bibliography.yaml"
WHERE = f"{PACKAGE}:{FILE}"


class UnknownReference(KeyError):
    """A cited key that the bibliography does not hold."""

    def __init__(self, key: str, cited_in: str | None = None) -> None:
        self.key, self.cited_in = key, cited_in
        by = f" (cited in {cited_in})" if cited_in else ""
        super().__init__(f"unknown reference key {key!r}{by}: not in {WHERE}")

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0])


def _flat(text: Any) -> str | None:
    return " ".join(str(text).split()) if text else None


@dataclass(frozen=True)
class Reference:
    """One source as read: enough to find it again and to see what it said."""

    key: str
    title: str | None
    authors: str | None = None
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    citation_text: str | None = None  # a citation kept verbatim as it was written when read
    note: str | None = None
    read_at: tuple[str, ...] = ()

    def citation(self) -> str:
        """Authors (year). Title. Journal. PMID/DOI (else where read); the kept text if no fields."""
        if self.citation_text and not (self.authors and self.title and self.journal):
            return self.citation_text
        year = self.year if self.year is not None else "n.d."
        journal = f"{self.journal}{f' {self.volume}' if self.volume else ''}"
        journal += f":{self.pages}" if self.pages else ""
        parts = [f"{self.authors} ({year}). {self.title}. {journal}."]
        if self.pmid:
            parts.append(f"PMID {self.pmid}.")
        if self.doi:
            parts.append(f"doi:{self.doi}.")
        if not self.pmid and not self.doi and self.read_at:
            parts.append(self.read_at[0])
        return " ".join(parts)

    def as_read(self) -> str:
        """The citation text kept as it was written when read, else citation()."""
        return self.citation_text or self.citation()


def _reference(raw: dict[str, Any]) -> Reference:
    authors = raw.get("authors")
    read_at = raw.get("read_at") or ()
    return Reference(
        key=raw["key"],
        title=_flat(raw.get("title")),
        authors=", ".join(authors) if isinstance(authors, list) else authors,
        year=raw.get("year"),
        journal=raw.get("journal"),
        volume=raw.get("volume"),
        pages=raw.get("pages"),
        pmid=raw.get("pmid"),
        doi=raw.get("doi"),
        url=raw.get("url"),
        citation_text=_flat(raw.get("citation")),
        note=_flat(raw.get("note")),
        read_at=(read_at,) if isinstance(read_at, str) else tuple(read_at),
    )


@cache
def raw_entries() -> dict[str, dict[str, Any]]:
    """Every entry as written in the file, by key (validated by ldn.dataschemas.BibliographyFile).

    For readers with their own model of an entry (ldn.knowledge.models.Reference)."""
    return {raw["key"]: raw for raw in datafiles.load(PACKAGE, FILE)}


@cache
def entries() -> dict[str, Reference]:
    """Every entry by key, in the file's order."""
    return {key: _reference(raw) for key, raw in raw_entries().items()}


def get(key: str, *, cited_in: str | None = None) -> Reference:
    """The entry for key; UnknownReference (naming key, cited_in and this file) if none."""
    try:
        return entries()[key]
    except KeyError:
        raise UnknownReference(key, cited_in) from None


def resolve(
    keys: list[str] | tuple[str, ...], *, cited_in: str | None = None
) -> tuple[Reference, ...]:
    """The entries for keys, in order; the first unknown key raises UnknownReference."""
    return tuple(get(k, cited_in=cited_in) for k in keys)


def cite(key: str, *, cited_in: str | None = None) -> str:
    """The one-line citation of key."""
    return get(key, cited_in=cited_in).citation()
