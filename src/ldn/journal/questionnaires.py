"""Scoring of the scheduled questionnaires (PHQ-9, GAD-7, PGIC) by their published rules.

Items, response options, bands, flags, licences and sources live in data/questionnaires.yaml;
this module only applies them. An incomplete form is refused, never pro-rated: none of the
sources read supports pro-rating these instruments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from ldn import bibliography, datafiles


class QuestionnaireError(ValueError):
    """Answers that break an instrument's rules; the message names the item and accepted range."""


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    id: str
    text: str


@dataclass(frozen=True)
class Band:
    min: int
    max: int
    label: str


@dataclass(frozen=True)
class FlagRule:
    id: str
    item: str
    min_value: int | None
    max_value: int | None
    message: str
    source: str


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    stem: str
    options: tuple[Option, ...]
    items: tuple[Item, ...]
    total_range: tuple[int, int]
    bands: tuple[Band, ...]
    flags: tuple[FlagRule, ...]
    licence: str
    sources: tuple[str, ...]  # reference keys, see `reference()`

    @property
    def accepted(self) -> tuple[int, int]:
        values = [o.value for o in self.options]
        return min(values), max(values)


@dataclass(frozen=True)
class Flag:
    id: str
    message: str
    source: str


@dataclass(frozen=True)
class QuestionnaireResult:
    """The score with the answers it came from and the rule that banded it."""

    instrument: str
    answers: dict[str, int]
    total: int
    band: str  # severity band, or for PGIC the chosen label
    flags: tuple[Flag, ...]
    method: str
    sources: tuple[str, ...]


@cache
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = datafiles.load("ldn.journal", "data/questionnaires.yaml")
    return loaded


def _bands(raw: list[dict[str, Any]], top: int) -> tuple[Band, ...]:
    mins = [int(b["min"]) for b in raw]
    return tuple(
        Band(lo, (mins[i + 1] - 1) if i + 1 < len(mins) else top, str(raw[i]["label"]))
        for i, lo in enumerate(mins)
    )


@cache
def instruments() -> dict[str, Instrument]:
    """Every instrument, keyed 'phq9', 'gad7', 'pgic'."""
    out = {}
    for key, raw in _data()["instruments"].items():
        low, high = (int(v) for v in raw["total_range"])
        sources = {str(raw.get("bands_source", ""))} | set(raw.get("licence_sources", []))
        sources |= set(raw.get("options_source", [])) | set(raw.get("other_sources", []))
        sources |= {str(f["source"]) for f in raw["flags"]}
        out[key] = Instrument(
            key=key,
            name=str(raw["name"]),
            stem=" ".join(str(raw["stem"]).split()),
            options=tuple(Option(int(o["value"]), str(o["label"])) for o in raw["options"]),
            items=tuple(Item(str(i["id"]), str(i["text"])) for i in raw["items"]),
            total_range=(low, high),
            bands=_bands(raw["bands"], high),
            flags=tuple(
                FlagRule(
                    str(f["id"]),
                    str(f["item"]),
                    f.get("min_value"),
                    f.get("max_value"),
                    " ".join(str(f["message"]).split()),
                    str(f["source"]),
                )
                for f in raw["flags"]
            ),
            licence=" ".join(str(raw["licence"]).split()),
            sources=tuple(sorted(s for s in sources if s)),
        )
    return out


def reference(key: str) -> bibliography.Reference:
    """A source of the questionnaires' rules, from the bibliography (UnknownReference if none)."""
    return bibliography.get(key, cited_in="ldn.journal:data/questionnaires.yaml")


def score_questionnaire(instrument: str, answers: Mapping[str, int]) -> QuestionnaireResult:
    """Total, band and flags for a complete set of answers (item id -> option value)."""
    table = instruments()
    if instrument not in table:
        raise QuestionnaireError(f"instrument must be one of {sorted(table)}, got {instrument!r}")
    spec = table[instrument]
    ids = [i.id for i in spec.items]
    unknown = sorted(set(answers) - set(ids))
    if unknown:
        raise QuestionnaireError(f"{spec.key} has no item {unknown[0]!r}; its items are {ids}")
    low, high = spec.accepted
    problems = []
    for item in spec.items:
        if item.id not in answers:
            problems.append(f"{item.id} ('{item.text}') is missing; answer {low}-{high}")
            continue
        value = answers[item.id]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(f"{item.id} must be a whole number from {low} to {high}, got {value!r}")
    if problems:
        raise QuestionnaireError("; ".join(problems))
    clean = {i: int(answers[i]) for i in ids}
    total = sum(clean.values())
    if spec.bands:
        band = next(b.label for b in spec.bands if b.min <= total <= b.max)
        method = f"sum of {len(ids)} items ({low}-{high} each); bands start at " + ", ".join(
            f"{b.min} {b.label}" for b in spec.bands
        )
    else:
        band = next(o.label for o in spec.options if o.value == total)
        method = "single item; the result is the label chosen"
    flags = tuple(
        Flag(rule.id, rule.message, rule.source)
        for rule in spec.flags
        if (rule.min_value is None or clean[rule.item] >= rule.min_value)
        and (rule.max_value is None or clean[rule.item] <= rule.max_value)
    )
    return QuestionnaireResult(spec.key, clean, total, band, flags, method, spec.sources)
