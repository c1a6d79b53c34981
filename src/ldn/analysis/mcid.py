"""Minimal clinically important differences per scale, read from the cited YAML data file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ldn import datafiles
from ldn.analysis.errors import AnalysisInputError


@dataclass(frozen=True)
class Mcid:
    """The MCID used for one symptom, the scale it came from and whether it is our assumption."""

    points: float
    scale: str
    assumption: bool
    basis: str


@cache
def _table() -> dict[str, Any]:
    data: dict[str, Any] = datafiles.load("ldn.analysis", "data/mcid.yaml")
    return data


def mcid_for(symptom: str, scale: str | None = None, override: float | None = None) -> Mcid:
    """Pick the MCID for a symptom: explicit override, named scale, symptom name, then the default."""
    if override is not None:
        if not 0 < override <= 10:
            raise AnalysisInputError(
                f"mcid must be above 0 and at most 10 points, got {override:g}"
            )
        return Mcid(override, "user", True, "Set by the user.")
    table = _table()
    scales: dict[str, Any] = table["scales"]
    if scale is None:
        key = symptom.strip().lower().replace(" ", "_")
        scale = next(
            (s for s, v in scales.items() if key in v["applies_to"]), table["default_scale"]
        )
    if scale not in scales:
        raise AnalysisInputError(f"scale must be one of {sorted(scales)}, got {scale!r}")
    entry = scales[scale]
    return Mcid(float(entry["mcid_points"]), scale, bool(entry["assumption"]), str(entry["basis"]))
