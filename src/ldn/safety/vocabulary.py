"""The shipped medicine vocabulary: product names from national registers -> ingredient keys.

Built by scripts/build_vocabulary.py from the registers listed in data/vocabulary_sources.yaml;
nothing is downloaded at run time. A name can cover several products (the same brand differs
between countries, or one register lists several compositions): each composition is kept as a
variant, so the screen can tell "always contains an opioid" from "some products of this name do".
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

INCOMPLETE = "?"  # in a variant: the register gives this composition only in part


@dataclass(frozen=True)
class RegisterIngredient:
    """An active ingredient as the registers name it, with an ATC code where one gave it."""

    key: str
    atc: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class RegisterProduct:
    """A product name and every composition the registers list under it."""

    key: str
    name: str
    variants: tuple[tuple[str, ...], ...]
    countries: tuple[str, ...]

    @property
    def incomplete(self) -> bool:
        """True when some composition is only partly known (or not at all)."""
        return any(not v or INCOMPLETE in v for v in self.variants)

    @property
    def ingredients(self) -> tuple[str, ...]:
        """Every known ingredient of every variant, sorted."""
        return tuple(sorted({i for v in self.variants for i in v if i != INCOMPLETE}))


@dataclass(frozen=True)
class Vocabulary:
    """The loaded index."""

    ingredients: dict[str, RegisterIngredient]
    products: dict[str, RegisterProduct]
    sources: tuple[dict[str, Any], ...]


def _read() -> dict[str, Any]:
    data = resources.files("ldn.safety").joinpath("data", "vocabulary.json.gz").read_bytes()
    payload: dict[str, Any] = json.loads(gzip.decompress(data))
    if payload.get("format") != 1:
        raise ValueError(f"vocabulary.json.gz: format must be 1, got {payload.get('format')!r}")
    return payload


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (read once)."""
    payload = _read()
    rows = payload["ingredients"]
    keys = [row[0] for row in rows]
    ingredients = {key: RegisterIngredient(key, atc, tuple(names)) for key, atc, names in rows}
    products = {
        key: RegisterProduct(
            key,
            name,
            tuple(tuple(keys[i] for i in variant) for variant in variants),
            tuple(countries.split(",")),
        )
        for key, name, variants, countries in payload["products"]
    }
    return Vocabulary(ingredients, products, tuple(payload["built_from"]))
