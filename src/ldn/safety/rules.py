"""Rules, substances and condition phrases loaded from ldn/safety/data/*.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from ldn import bibliography, datafiles
from ldn.bibliography import Reference
from ldn.safety.matching import NameIndex, key_of, normalise
from ldn.safety.stems import local_spellings
from ldn.safety.vocabulary import vocabulary

SEVERITIES = ("contraindicated", "warning", "information", "not_screened")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@cache
def _load(name: str) -> Any:
    return datafiles.load("ldn.safety", f"data/{name}")


def _flat(text: str) -> str:
    return " ".join(str(text).split())


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


class Product(NamedTuple):
    """A brand or generic name and what it contains (rule/ATC may differ from the substance's).

    `source` says where the name came from: "rules" (our curated list), "ingredient" (an active
    ingredient's name as a register spells it) or "register" (a product name from a national
    register, `countries` naming which). `variants` keeps every composition a register lists under
    the name; `incomplete` marks a composition the register gives only in part. A named tuple,
    not a dataclass: the first screen makes ~40,000 of these, and a tuple is made ~3x faster.
    """

    name: str
    ingredients: tuple[str, ...]
    atc: str | None
    rule: str | None
    source: str = "rules"
    countries: tuple[str, ...] = ()
    variants: tuple[tuple[str, ...], ...] = ()
    incomplete: bool = False


@cache
def rules() -> dict[str, Rule]:
    """All rules by code; fails loudly on a bad severity or an unknown reference key."""
    out: dict[str, Rule] = {}
    for code, item in _load("rules.yaml")["rules"].items():
        if item["severity"] not in SEVERITIES[:3]:
            raise ValueError(f"rule {code}: severity must be one of {SEVERITIES[:3]}")
        out[code] = Rule(
            code=code,
            severity=item["severity"],
            message=_flat(item["message"]),
            action=_flat(item["action"]),
            references=bibliography.resolve(
                item["references"], cited_in=f"ldn.safety:data/rules.yaml rules.{code}"
            ),
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


FUZZY_MIN_REGISTER = 8  # characters a register name needs before spelling guesses may reach it
OPIOID_ATC_PREFIXES = ("N02A", "R05DA", "N07BC", "N01AH", "A07DA")
NOT_OPIOID_ATC = ("R05DA07",)  # noscapine: an opium alkaloid without opioid-receptor action


def register_atc(ingredient: str) -> str | None:
    """The ATC code a register gives for an ingredient key, None when none does."""
    entry = vocabulary().ingredients.get(ingredient)
    return entry.atc or None if entry else None


def is_opioid_atc(atc: str | None) -> bool:
    """True for the WHO ATC opioid groups the screen treats as opioids."""
    return bool(atc) and atc.startswith(OPIOID_ATC_PREFIXES) and not atc.startswith(NOT_OPIOID_ATC)  # type: ignore[union-attr]


@cache
def medication_index() -> NameIndex[Product]:
    """Every generic and brand name -> Product.

    Three layers, later ones winning: register product names, ingredient names as the registers
    spell them, then our curated substances.yaml (so "Nurofen Plus" means ibuprofen + codeine
    whatever a register's partial entry says, and "aspirin" means the ingredient, not every
    product whose name starts with it).
    """
    aliases: dict[str, tuple[str, Product]] = {}
    vocab = vocabulary()
    # (positional: a named tuple is made much faster without keywords, ~38,000 times here)
    for key, entry in vocab.products.items():
        aliases[key] = (
            entry.name,
            Product(
                entry.name,
                entry.ingredients,
                None,
                None,
                "register",
                entry.countries,
                entry.variants,
                entry.incomplete,
            ),
        )
    for joined, key in vocab.joined_names.items():
        aliases.setdefault(joined, aliases[key])  # "Neocodion" = "NEO-CODION"
    ingredient_products = {
        key: Product(key, (key,), ingredient.atc or None, None, source="ingredient")
        for key, ingredient in vocab.ingredients.items()
    }
    for alias, key in vocab.ingredient_aliases.items():
        aliases[alias] = (key, ingredient_products[key])
    for alias, keys in vocab.short_names.items():
        entries = [vocab.products[k] for k in keys]
        variants = tuple(sorted({v for e in entries for v in e.variants}))
        product = Product(
            " / ".join(e.name for e in entries),
            tuple(sorted({i for e in entries for i in e.ingredients})),
            None,
            None,
            source="register",
            countries=tuple(sorted({c for e in entries for c in e.countries})),
            variants=variants,
            incomplete=any(e.incomplete for e in entries),
        )
        aliases[alias] = (product.name, product)
    curated: dict[str, tuple[str, Product]] = {}

    def add(name: str, product: Product) -> None:
        key = key_of(normalise(name))
        old = curated.get(key)
        if old is not None and (old[1].ingredients, old[1].rule) != (
            product.ingredients,
            product.rule,
        ):
            raise ValueError(f"name {name!r} is listed twice with different meanings")
        curated[key] = (name, product)

    spelled: dict[str, tuple[str, Product]] = {}
    for key, item in _load("substances.yaml")["substances"].items():
        for name in item.get("names", []):
            add(str(name), Product(str(name), (key,), item.get("atc"), None))
        for spelling in sorted(local_spellings(key)):  # "Kodein", "Oxycodon", "Tilidin", "morfin"
            spelled[spelling] = (key, Product(key, (key,), item.get("atc"), None))
        for entry in item.get("products", []):
            if isinstance(entry, str):
                add(entry, Product(entry, (key,), item.get("atc"), None))
            else:
                ingredients = tuple(entry.get("ingredients", [key]))
                add(
                    str(entry["name"]),
                    Product(str(entry["name"]), ingredients, entry.get("atc"), entry.get("rule")),
                )
    aliases.update(curated)
    for spelling, spelled_as in spelled.items():
        aliases.setdefault(
            spelling, spelled_as
        )  # a general spelling rule never overrides a real name
    # Short register names ("cough", "boots") are never guessed at by spelling: "coughs" must not
    # become a Canadian "COUGH SYRUP" with codeine. Longer ones may be ("Paracodin" ~ "PARACODINA").
    products = vocab.products.keys()
    register = (
        (products | vocab.joined_names.keys() | vocab.short_names.keys())
        - vocab.ingredient_aliases.keys()
        - curated.keys()
    )
    exact_only = frozenset(register - products).union(
        k for k in register & products if len(k) < FUZZY_MIN_REGISTER
    )
    return NameIndex(aliases, exact_only)


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


@cache
def known_condition_index() -> NameIndex[str]:
    """Conditions the screen or the knowledge base knows -> display name.

    Used to tell someone who typed "fibromyalgia" or "long covid" as a medication that it is a
    condition, not a medicine, instead of "not recognised".
    """
    from ldn.knowledge import load_knowledge  # the knowledge base is core too; loaded on demand

    aliases: dict[str, tuple[str, str]] = {}
    for phrases in _load("conditions.yaml")["conditions"].values():
        for phrase in phrases:
            aliases[key_of(normalise(str(phrase)))] = (str(phrase), str(phrase))
    for condition in load_knowledge().conditions:
        for phrase in (condition.name, condition.slug.replace("-", " "), *condition.aliases):
            key = key_of(normalise(phrase))
            if key and len(key) > 3:  # "PD", "MS" alone are too ambiguous to claim
                aliases[key] = (phrase, condition.name)
    return NameIndex(aliases)
