"""Loads the YAML data files that hold every clinical number used by the dosing package."""

from __future__ import annotations

from typing import Any

from ldn import bibliography, datafiles
from ldn.bibliography import Reference

__all__ = ["Reference", "cite", "load_yaml"]


def load_yaml(name: str) -> Any:
    """Read one YAML file shipped in ldn/dosing/data."""
    return datafiles.load("ldn.dosing", f"data/{name}")


def cite(keys: list[str] | tuple[str, ...]) -> tuple[Reference, ...]:
    """Resolve reference keys against the bibliography (UnknownReference on a missing key)."""
    return bibliography.resolve(keys, cited_in="ldn.dosing data")
