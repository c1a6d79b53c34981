"""Neutral types for one day of a patient's journal and for the report of an import.

Every format (our CSV, our JSON, Flaredown, Bearable) is read into these and written from them,
so the web layer maps its rows to one shape only. They are plain values: no database, no clock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Any, Literal

DoseStatus = Literal["taken", "missed"]
DOSE_STATUSES: tuple[DoseStatus, ...] = ("taken", "missed")
Severity = Literal["error", "warning"]


class InteropError(ValueError):
    """A value handed to a writer breaks a rule of the format (names the field, rule and value)."""


@dataclass(frozen=True)
class LdnDose:
    """The evening's LDN dose: how much, whether it was taken, and when (local wall-clock time)."""

    status: DoseStatus
    mg: float | None = None
    at: time | None = None


@dataclass(frozen=True)
class OtherDose:
    """Another medication or supplement seen in an imported tracker (not LDN)."""

    name: str
    status: DoseStatus = "taken"
    amount: str = ""  # as written in the source, e.g. "1mg" or "600 mg"
    at: time | None = None


@dataclass(frozen=True)
class DayRecord:
    """One calendar day of the journal. Scores are 0-10, higher is worse."""

    day: date
    scores: dict[str, int] = field(default_factory=dict)
    side_effects: tuple[str, ...] = ()  # codes from ldn.journal.vocabulary.SIDE_EFFECTS
    side_effect_other: str = ""
    sleep_hours: float | None = None
    sleep_quality: int | None = None  # 0-10, higher is better
    stress: int | None = None  # 0-10, higher is worse
    exercise_minutes: int | None = None
    water_litres: float | None = None
    alcohol_units: int | None = None
    diet_notes: str = ""
    tags: tuple[str, ...] = ()
    therapies: tuple[str, ...] = ()
    cycle_day: int | None = None
    notes: str = ""
    dose: LdnDose | None = None  # None: no LDN planned or recorded that day
    other_doses: tuple[OtherDose, ...] = ()  # only from importers and JSON; not in our CSV

    @property
    def key(self) -> str:
        """Identity of the record: one record per patient per calendar day."""
        return self.day.isoformat()

    @property
    def fingerprint(self) -> str:
        """Hash of the content, so a re-import can tell 'same day, same values' from an edit."""
        canonical = json.dumps(day_to_dict(self), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an input file. `row` is the spreadsheet row (header = 1), 0 = file."""

    row: int
    column: str
    code: str
    message: str
    severity: Severity = "error"


@dataclass(frozen=True)
class ScaleMapping:
    """How a source's rating scale becomes ours, shown to the patient before anything is saved."""

    source_scale: str
    target_scale: str
    table: dict[int, int]
    rule: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPreview:
    """Everything parsed from a file and everything wrong with it; nothing has been saved."""

    source: str
    days: tuple[DayRecord, ...]
    problems: tuple[ImportProblem, ...]
    rows_read: int
    symptoms: tuple[str, ...] = ()  # symptom names as they will be stored
    new_symptoms: tuple[str, ...] = ()  # the subset not among the known symptoms passed in
    medications: tuple[str, ...] = ()  # other medications seen (importers only)
    mappings: tuple[ScaleMapping, ...] = ()  # scale conversions applied, to show before commit
    column_roles: dict[str, str] = field(default_factory=dict)  # Flaredown: header -> role

    @property
    def mapping(self) -> ScaleMapping | None:
        """The main rating conversion (symptom scores), if the source needed one."""
        return self.mappings[0] if self.mappings else None

    @property
    def errors(self) -> tuple[ImportProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[ImportProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when the import may be committed (warnings do not block it)."""
        return not self.errors


def _time_str(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def day_to_dict(day: DayRecord) -> dict[str, Any]:
    """The JSON shape of a day (also what `fingerprint` hashes)."""
    return {
        "date": day.day.isoformat(),
        "scores": dict(sorted(day.scores.items())),
        "side_effects": list(day.side_effects),
        "side_effect_other": day.side_effect_other,
        "sleep_hours": day.sleep_hours,
        "sleep_quality": day.sleep_quality,
        "stress": day.stress,
        "exercise_minutes": day.exercise_minutes,
        "water_litres": day.water_litres,
        "alcohol_units": day.alcohol_units,
        "diet_notes": day.diet_notes,
        "tags": list(day.tags),
        "therapies": list(day.therapies),
        "cycle_day": day.cycle_day,
        "notes": day.notes,
        "ldn_dose": None
        if day.dose is None
        else {"status": day.dose.status, "mg": day.dose.mg, "time": _time_str(day.dose.at)},
        "other_doses": [
            {"name": d.name, "status": d.status, "amount": d.amount, "time": _time_str(d.at)}
            for d in day.other_doses
        ],
    }


def with_scores(day: DayRecord, scores: Mapping[str, int]) -> DayRecord:
    """A copy of `day` with other scores (frozen records are rebuilt, never mutated)."""
    return replace(day, scores=dict(scores))
