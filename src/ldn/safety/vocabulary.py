"""The shipped medicine vocabulary: product names from national registers -> ingredient keys.

Built by scripts/build_vocabulary.py from the registers listed in data/vocabulary_sources.yaml;
nothing is downloaded at run time. A name can cover several products (the same brand differs
between countries, or one register lists several compositions): each composition is kept as a
variant, so the screen can tell "always contains an opioid" from "some products of this name do".

Every alias key the screen looks names up by is computed by the build (format 2), so loading is a
plain read: ingredient spellings already normalised, shorter names derived from register names
("TEVA-EMTEC-30" -> "emtec"), joined names ("NEO-CODION" -> "neocodion"). The build records the
fingerprint of the normaliser it used (`ldn.safety.matching.NORMALISER`); an index built with
another normaliser is refused, so a change to the word tables cannot silently mismatch the keys.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from ldn.safety.matching import NORMALISER

FORMAT = 2
INCOMPLETE = "?"  # in a variant: the register gives this composition only in part


@dataclass(frozen=True)
class RegisterIngredient:
    """An active ingredient as the registers name it, with an ATC code where one gave it."""

    key: str
    atc: str
    names: tuple[str, ...]


class RegisterProduct(NamedTuple):
    """A product name and every composition the registers list under it (a named tuple: the
    loader makes ~40,000 of them)."""

    key: str
    name: str
    variants: tuple[tuple[str, ...], ...]
    countries: tuple[str, ...]
    ingredients: tuple[str, ...]  # every known ingredient of every variant, sorted
    incomplete: bool  # some composition is only partly known (or not at all)


def _composition(
    variants: tuple[tuple[str, ...], ...],
) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...], bool]:
    ingredients = tuple(sorted({i for v in variants for i in v if i != INCOMPLETE}))
    return variants, ingredients, any(not v or INCOMPLETE in v for v in variants)


@dataclass(frozen=True)
class Vocabulary:
    """The loaded index."""

    ingredients: dict[str, RegisterIngredient]
    products: dict[str, RegisterProduct]
    sources: tuple[dict[str, Any], ...]
    ingredient_aliases: dict[str, str]  # alias key -> ingredient key (every register spelling)
    joined_names: dict[str, str]  # "neocodion" -> "neo codion" (product key)
    short_names: dict[str, tuple[str, ...]]  # "emtec" -> product keys it is short for


def _read() -> dict[str, Any]:
    data = resources.files("ldn.safety").joinpath("data", "vocabulary.json.gz").read_bytes()
    payload: dict[str, Any] = json.loads(gzip.decompress(data))
    check(payload)
    return payload


def check(payload: dict[str, Any]) -> None:
    """Refuse an index of another format, or built with another normaliser than this code's."""
    if payload.get("format") != FORMAT:
        raise ValueError(
            f"vocabulary.json.gz: format must be {FORMAT}, got {payload.get('format')!r}"
        )
    if payload.get("normaliser") != NORMALISER:
        raise ValueError(
            "vocabulary.json.gz: built with another normaliser than ldn.safety.matching's "
            f"({payload.get('normaliser')!r} != {NORMALISER!r}); rebuild it with "
            "scripts/build_vocabulary.py"
        )


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (read once)."""
    payload = _read()
    rows = payload["ingredients"]
    keys = [row[0] for row in rows]
    ingredients = {key: RegisterIngredient(key, atc, tuple(names)) for key, atc, names in rows}
    product_keys = [row[0] for row in payload["products"]]
    # Products share compositions (thousands of names are "paracetamol"): each distinct set of
    # variants is built once and shared.
    compositions = [
        _composition(tuple(tuple(keys[i] for i in v) for v in variants))
        for variants in payload["compositions"]
    ]
    countries_of: dict[str, tuple[str, ...]] = {}
    products = {}
    for key, name, composition, countries in payload["products"]:
        variants, ingredients_, incomplete = compositions[composition]
        if countries not in countries_of:
            countries_of[countries] = tuple(countries.split(","))
        products[key] = RegisterProduct(
            key, name, variants, countries_of[countries], ingredients_, incomplete
        )
    return Vocabulary(
        ingredients,
        products,
        tuple(payload["built_from"]),
        {alias: keys[i] for alias, i in payload["ingredient_aliases"]},
        {alias: product_keys[i] for alias, i in payload["joined_names"]},
        {alias: tuple(product_keys[i] for i in idx) for alias, idx in payload["short_names"]},
    )
