"""Rules, substances and condition phrases loaded from ldn/safety/data/*.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ldn.safety.matching import NameIndex, key_of, normalise

SEVERITIES = ("contraindicated", "warning", "information", "not_screened")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


def _load(name: str) -> Any:
    text = resources.files("ldn.safety").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _flat(text: str) -> str:
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Reference:
    """A source as read, with the addresses it was read at."""

    key: str
    text: str
    read_at: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A screening rule: stable code, severity, plain message, what to do, and sources."""

    code: str
    severity: str
    message: str
    action: str
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class Substance:
    """A recognised active ingredient and the rule it triggers."""

    key: str
    rule: str
    atc: str | None


@dataclass(frozen=True)
class Product:
    """A brand or generic name and what it contains (rule/ATC may differ from the substance's)."""

    name: str
    ingredients: tuple[str, ...]
    atc: str | None
    rule: str | None


@cache
def references() -> dict[str, Reference]:
    """All safety references by key."""
    raw = _load("references.yaml")["references"]
    return {
        k: Reference(k, _flat(v["text"]), tuple(v.get("read_at") or ())) for k, v in raw.items()
    }


@cache
def rules() -> dict[str, Rule]:
    """All rules by code; fails loudly on a bad severity or an unknown reference."""
    refs = references()
    out: dict[str, Rule] = {}
    for code, item in _load("rules.yaml")["rules"].items():
        if item["severity"] not in SEVERITIES[:3]:
            raise ValueError(f"rule {code}: severity must be one of {SEVERITIES[:3]}")
        missing = [r for r in item["references"] if r not in refs]
        if missing:
            raise ValueError(f"rule {code}: unknown references {missing}")
        out[code] = Rule(
            code=code,
            severity=item["severity"],
            message=_flat(item["message"]),
            action=_flat(item["action"]),
            references=tuple(refs[r] for r in item["references"]),
        )
    return out


@cache
def atc_groups() -> dict[str, str]:
    """ATC 4th-level code -> group name."""
    return dict(_load("substances.yaml")["atc_groups"])


@cache
def substances() -> dict[str, Substance]:
    """Recognised substances by key."""
    known_rules = rules()
    out: dict[str, Substance] = {}
    for key, item in _load("substances.yaml")["substances"].items():
        if item["rule"] not in known_rules:
            raise ValueError(f"substance {key}: unknown rule {item['rule']}")
        out[key] = Substance(key=key, rule=item["rule"], atc=item.get("atc"))
    return out


@cache
def medication_index() -> NameIndex[Product]:
    """Every generic and brand name -> Product."""
    aliases: dict[str, tuple[str, Product]] = {}

    def add(name: str, product: Product) -> None:
        key = key_of(normalise(name))
        if key in aliases and aliases[key][1] != product:
            raise ValueError(f"name {name!r} is listed twice with different meanings")
        aliases[key] = (name, product)

    for key, item in _load("substances.yaml")["substances"].items():
        for name in item.get("names", []):
            add(str(name), Product(str(name), (key,), item.get("atc"), None))
        for entry in item.get("products", []):
            if isinstance(entry, str):
                add(entry, Product(entry, (key,), item.get("atc"), None))
            else:
                ingredients = tuple(entry.get("ingredients", [key]))
                add(
                    str(entry["name"]),
                    Product(str(entry["name"]), ingredients, entry.get("atc"), entry.get("rule")),
                )
    return NameIndex(aliases)


@cache
def condition_index() -> NameIndex[str]:
    """Every condition phrase -> rule code."""
    known = rules()
    aliases: dict[str, tuple[str, str]] = {}
    for code, phrases in _load("conditions.yaml")["conditions"].items():
        if code not in known:
            raise ValueError(f"conditions.yaml: unknown rule {code}")
        for phrase in phrases:
            aliases[key_of(normalise(str(phrase)))] = (str(phrase), code)
    return NameIndex(aliases)
