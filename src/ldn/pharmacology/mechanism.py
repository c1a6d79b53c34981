"""The LDN mechanism claims (measured vs hypothesised) from data/mechanism.yaml."""

from __future__ import annotations

from dataclasses import dataclass

from ldn.pharmacology.parameters import read_yaml

CONFIDENCE = ("measured", "indirect", "hypothesis", "speculative")


@dataclass(frozen=True)
class MechanismClaim:
    """One claim about how LDN works, with its evidence status and sources."""

    id: str
    claim: str
    status: str
    confidence: str
    evidence: str
    sources: tuple[str, ...]


def mechanism_claims() -> list[MechanismClaim]:
    """All claims, in the file's order; sources are keys of ldn/data/bibliography.yaml."""
    data = read_yaml("mechanism.yaml")
    return [
        MechanismClaim(
            id=c["id"],
            claim=c["claim"],
            status=c["status"],
            confidence=c["confidence"],
            evidence=c["evidence"],
            sources=tuple(c["sources"]),
        )
        for c in data["claims"]
    ]
