"""Rules, substances and condition phrases loaded from ldn/safety/data/*.yaml."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from ldn import datafiles
from ldn.safety.matching import NameIndex, key_of, normalise
from ldn.safety.vocabulary import vocabulary

SEVERITIES = ("contraindicated", "warning", "information", "not_screened")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@cache
def _load(name: str) -> Any:
    return datafiles.load("ldn.safety", f"data/{name}")


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
    """A brand or generic name and what it contains (rule/ATC may differ from the substance's).

    `source` says where the name came from: "rules" (our curated list), "ingredient" (an active
    ingredient's name as a register spells it) or "register" (a product name from a national
    register, `countries` naming which). `variants` keeps every composition a register lists under
    the name; `incomplete` marks a composition the register gives only in part.
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
    for key, entry in vocab.products.items():
        product = Product(
            entry.name,
            entry.ingredients,
            None,
            None,
            source="register",
            countries=entry.countries,
            variants=entry.variants,
            incomplete=entry.incomplete,
        )
        aliases[key] = (entry.name, product)
        joined = key.replace(" ", "")
        if joined != key and len(joined) >= 8 and joined not in vocab.products:
            aliases.setdefault(joined, (entry.name, product))  # "Neocodion" = "NEO-CODION"
    for key, ingredient in vocab.ingredients.items():
        if key == "?":
            continue
        product = Product(key, (key,), ingredient.atc or None, None, source="ingredient")
        for name in (key, *ingredient.names):
            alias = key_of(normalise(name))
            if alias and not alias.isdigit():
                aliases[alias] = (key, product)
    for alias, entries in _shortened_names(set(aliases)).items():
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
    aliases.update(curated)
    # Short register names ("cough", "boots") are never guessed at by spelling: "coughs" must not
    # become a Canadian "COUGH SYRUP" with codeine. Longer ones may be ("Paracodin" ~ "PARACODINA").
    exact_only = frozenset(
        k
        for k, (_, p) in aliases.items()
        if p.source == "register" and (len(k) < FUZZY_MIN_REGISTER or k not in vocab.products)
    )
    return NameIndex(aliases, exact_only)


_HYPHEN_PREFIX = re.compile(r"^([A-Za-z]{2,})-(.+)$")
_TRAILING_NUMBERS = re.compile(r"(?: \d+(?:\.\d+)?)+$")


def _shortened_names(taken: set[str]) -> dict[str, list[Any]]:
    """Shorter names people use for register products, from the register names themselves.

    Canada's register files generic copies under the maker's prefix ("TEVA-EMTEC-30",
    "APO-TRAMADOL") and many names end in a strength ("EMTEC-30", "TYLENOL WITH CODEINE NO. 3"),
    while a pack or a patient says "Emtec". Two shortenings, each only where the short name is
    not already a name of its own (`taken`):
    - a maker's prefix is dropped: a word before a hyphen that starts at least 10 register names,
      at least 80% of which are an ingredient's name after it (a maker selling generics; this
      keeps "CO-", "NEO-", "BIO-" brand names whole);
    - trailing numbers are dropped ("emtec 30" -> "emtec").
    Register names sharing a short name are merged: if their compositions differ, the screen
    reports the name as ambiguous (not screened), never as safe.
    """
    vocab = vocabulary()
    ingredient_names = {k for k in taken}
    split: dict[str, tuple[str, str]] = {}
    starts: Counter[str] = Counter()
    generic: Counter[str] = Counter()
    for key, entry in vocab.products.items():
        found = _HYPHEN_PREFIX.match(entry.name)
        if found is None:
            continue
        prefix, rest = found.group(1).lower(), key_of(normalise(found.group(2)))
        split[key] = (prefix, rest)
        starts[prefix] += 1
        words = rest.split()
        generic[prefix] += any(
            key_of(words[:n]) in ingredient_names for n in range(1, len(words) + 1)
        )
    makers = {p for p, n in starts.items() if n >= 10 and generic[p] >= 0.8 * n}
    short: defaultdict[str, list[Any]] = defaultdict(list)
    for key, entry in vocab.products.items():
        names = {key}
        if key in split and split[key][0] in makers:
            names.add(split[key][1])
        for name in list(names):
            names.add(_TRAILING_NUMBERS.sub("", name))
        for name in sorted(names):
            if name and name not in taken and not name.isdigit():
                short[name].append(entry)
    return dict(short)


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
