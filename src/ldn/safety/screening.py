"""The screen: every medication and condition against every rule, reporting every finding.

Nothing stops at the first hit. A product resolves to its ingredients and each ingredient to its
rule, so a combination reports each ingredient. An input nothing recognises is "not screened",
never safe, and asks for the active ingredients printed on the pack ("Zaldiar contains:
tramadol, paracetamol"); an input recognised only in part reports the unrecognised part the same
way. A recognised ingredient no rule mentions is "screened: no known interaction with LDN".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ldn.safety.matching import Hit, MatchResult, normalise
from ldn.safety.rules import (
    SEVERITY_RANK,
    Product,
    Rule,
    atc_groups,
    condition_index,
    is_opioid_atc,
    known_condition_index,
    medication_index,
    register_atc,
    rules,
    substances,
)
from ldn.safety.stems import stem_key
from ldn.safety.vocabulary import vocabulary

STEM_SCORE = 99.0  # a word read by the ingredient stem it contains ("Codeintropfen")

NOT_RECOGNISED = "NOT_RECOGNISED"
PARTLY_RECOGNISED = "PARTLY_RECOGNISED"
INGREDIENT_NOT_SCREENED = "INGREDIENT_NOT_SCREENED"
COMPOSITION_INCOMPLETE = "COMPOSITION_INCOMPLETE"
AMBIGUOUS_NAME = "AMBIGUOUS_NAME"
GUESSED_NAME = "GUESSED_NAME"
CONDITION_ENTERED = "CONDITION_ENTERED"
OPIOID_BY_ATC = "OPIOID_AGONIST"  # an ingredient only a register's ATC code marks as opioid

CONTAINS = re.compile(r"[(\[,;-]?\s*\bcontains?\s*:\s*(?P<rest>[^)\]]*)[)\]]?\s*$", re.I)
ASK_CONTAINS = (
    "Look for the active ingredients printed on the pack or leaflet and add them after "
    "'contains:' (for example 'Zaldiar contains: tramadol, paracetamol'), or ask a pharmacist."
)


@dataclass(frozen=True)
class Finding:
    """One result line. `matched` shows what the input was read as, so a wrong guess is visible."""

    input: str
    kind: str  # "medication" | "condition"
    matched: str | None
    rule: str
    severity: str
    message: str
    action: str
    references: tuple[str, ...]
    substance: str | None = None
    atc: str | None = None
    fuzzy_score: float | None = None
    screened: bool = True  # False: this finding leaves the input (partly) unscreened

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `ldn screen --json`."""
        return {
            "input": self.input,
            "matched": self.matched,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "action": self.action,
            "references": list(self.references),
            "screened": self.screened,
        }


@dataclass(frozen=True)
class ScreeningResult:
    """All findings for one screen, in input order, plus what was screened."""

    medications: tuple[str, ...]
    conditions: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def has_contraindication(self) -> bool:
        """True when any finding is contraindicated (the CLI exits 2, pages show a banner)."""
        return any(f.severity == "contraindicated" for f in self.findings)

    @property
    def worst_severity(self) -> str | None:
        """The most serious severity present, None when there were no inputs."""
        if not self.findings:
            return None
        return min((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)

    def by_severity(self) -> list[Finding]:
        """Findings ordered most serious first (stable within a severity)."""
        return sorted(self.findings, key=lambda f: SEVERITY_RANK[f.severity])

    @property
    def not_screened(self) -> tuple[str, ...]:
        """Inputs (in order, once each) that something left unscreened."""
        seen: dict[str, None] = {}
        for f in self.findings:
            if not f.screened:
                seen.setdefault(f.input, None)
        return tuple(seen)

    @property
    def exit_code(self) -> int:
        """2 if anything is contraindicated, else 3 if anything went unscreened, else 0."""
        if self.has_contraindication:
            return 2
        return 3 if self.not_screened else 0

    def summary(self) -> list[str]:
        """Plain lines for the top of a report; never an all-clear while anything is unscreened."""
        entries = [(f.input, f.severity, f.screened) for f in self.findings]
        return summary_lines(entries, len(self.medications) + len(self.conditions))


# Rules whose findings leave the input unscreened although their severity is higher than
# "not_screened" (a name that covers products with and without an opioid).
UNSCREENED_RULES = frozenset({"AMBIGUOUS_NAME"})


def summary_lines(entries: Sequence[tuple[str, str, bool]], total: int) -> list[str]:
    """Summary of (input, severity, screened) rows: unscreened entries first, then the rest."""
    lines: list[str] = []
    unscreened = list(dict.fromkeys(i for i, _, screened in entries if not screened))
    if unscreened:
        lines.append(f"{len(unscreened)} not screened — ask a pharmacist: " + ", ".join(unscreened))
    contra = list(dict.fromkeys(i for i, sev, _ in entries if sev == "contraindicated"))
    if contra:
        lines.append(f"{len(contra)} contraindicated with LDN: " + ", ".join(contra))
    warn = [
        i
        for i in dict.fromkeys(i for i, sev, _ in entries if sev == "warning")
        if i not in contra and i not in unscreened
    ]
    if warn:
        lines.append(f"{len(warn)} with a warning: " + ", ".join(warn))
    if not unscreened and not contra:
        lines.append(
            f"All {total} entries screened: no contraindication found"
            + (" (see the warnings)." if warn else ".")
        )
    elif not contra:
        lines.append("No contraindication found among what was screened.")
    return lines


def split_contains(text: str) -> tuple[str, tuple[str, ...]]:
    """'Zaldiar (contains: tramadol, paracetamol)' -> ('Zaldiar', ('tramadol', 'paracetamol'))."""
    m = CONTAINS.search(text)
    if m is None:
        return text, ()
    parts = re.split(r"\s*(?:,|;|\+|/|\band\b|&)\s*", m.group("rest"))
    return text[: m.start()].strip(), tuple(p.strip() for p in parts if p.strip())


def _refs(rule: Rule) -> tuple[str, ...]:
    return tuple(r.as_read() for r in rule.references)


def _matched(hit: Hit[Any], target: str) -> str:
    name = hit.alias
    product = hit.target if isinstance(hit.target, Product) else None
    if product is not None and product.source == "register" and product.countries:
        name = f"{name} ({', '.join(product.countries)} register)"
    if hit.score == STEM_SCORE:
        name = f"{name} (the name contains the ingredient's stem)"
    elif hit.fuzzy:
        name = f"closest match: {name} (spelling looks close)"
    if hit.alias.lower() == target.lower() and not hit.fuzzy:
        return name
    return f"{name} -> {target}"


def _unscreened(text: str, rule: str, message: str, action: str, **extra: Any) -> Finding:
    return Finding(
        input=text,
        kind="medication",
        matched=extra.pop("matched", None),
        rule=rule,
        severity=extra.pop("severity", "not_screened"),
        message=message,
        action=action,
        references=(),
        screened=False,
        **extra,
    )


def _not_recognised(text: str, kind: str) -> Finding:
    if kind == "medication":
        return _unscreened(
            text,
            NOT_RECOGNISED,
            "Not recognised - not screened. This name is not in the medicine lists the app "
            "carries, so it cannot say whether it is safe with LDN.",
            ASK_CONTAINS,
        )
    return Finding(
        input=text,
        kind=kind,
        matched=None,
        rule=NOT_RECOGNISED,
        severity="not_screened",
        message="Not recognised - not screened. This condition is not in the screening rules, "
        "so the app cannot say whether it matters with LDN.",
        action="Check the spelling, or ask a pharmacist or the prescriber about this condition "
        "with LDN.",
        references=(),
        screened=False,
    )


def _partly(text: str, words: Sequence[str]) -> Finding:
    rest = " ".join(words)
    return _unscreened(
        text,
        PARTLY_RECOGNISED,
        f"Only part of this entry was recognised; '{rest}' was not screened. "
        "Combination products can contain ingredients the screen does not know.",
        ASK_CONTAINS,
    )


def _is_opioid(ingredient: str) -> bool:
    substance = substances().get(ingredient)
    if substance is not None:
        return rules()[substance.rule].severity == "contraindicated"
    return is_opioid_atc(register_atc(ingredient))


def _ingredient_finding(
    text: str, hit: Hit[Product], product: Product, ingredient: str, primary: bool
) -> Finding:
    substance = substances().get(ingredient)
    groups = atc_groups()
    if substance is not None:
        code = product.rule if primary and product.rule else substance.rule
        atc = product.atc if primary and product.atc else substance.atc
    else:
        atc = register_atc(ingredient) or (product.atc if product.source == "ingredient" else None)
        known = ingredient in vocabulary().ingredients
        if is_opioid_atc(atc):
            code = OPIOID_BY_ATC
        elif known:
            code = "NO_LISTED_INTERACTION"
        else:
            return _unscreened(
                text,
                INGREDIENT_NOT_SCREENED,
                f"{ingredient} (an ingredient of {product.name}) is not in the screening "
                "rules - not screened.",
                "Ask a pharmacist whether this ingredient matters with LDN.",
                matched=_matched(hit, ingredient),
                substance=ingredient,
            )
    rule = rules()[code]
    group = groups.get((atc or "")[:5], "no ATC code")
    fields = {"substance": ingredient, "atc": atc or "none", "atc_group": group}
    severity = rule.severity
    screened = True
    message = rule.message.format(**fields)
    if hit.fuzzy and severity == "information":
        # A guessed name never gives an all-clear: it is only screened once confirmed.
        severity, screened = "not_screened", False
        message = f"If this is {hit.alias}: {message}"
    return Finding(
        input=text,
        kind="medication",
        matched=_matched(hit, ingredient),
        rule=code,
        severity=severity,
        message=message,
        action=rule.action.format(**fields),
        references=_refs(rule),
        substance=ingredient,
        atc=atc,
        fuzzy_score=hit.score if hit.fuzzy else None,
        screened=screened,
    )


def _product_findings(text: str, hit: Hit[Product]) -> list[Finding]:
    product = hit.target
    variants = product.variants or (product.ingredients,)
    opioid_variants = [v for v in variants if any(_is_opioid(i) for i in v)]
    if opioid_variants and len(opioid_variants) < len(variants):
        opioids = sorted({i for v in opioid_variants for i in v if _is_opioid(i)})
        return [
            _unscreened(
                text,
                AMBIGUOUS_NAME,
                f"Products sold as {product.name} differ: some contain {', '.join(opioids)} "
                "(an opioid, contraindicated with LDN), others do not. The app cannot tell "
                "which one you have.",
                ASK_CONTAINS,
                severity="warning",
                matched=_matched(hit, " / ".join(opioids)),
            )
        ]
    ingredients = list(product.ingredients)
    if product.incomplete:
        # The register gives the composition only in part, but its own name may say the rest
        # ("Solpadeine Migraine Ibuprofen & Codeine", filed under ibuprofen alone): an
        # ingredient named in the register's product name is screened too.
        for word in normalise(product.name):
            key = stem_key(word)
            if key is not None and key in substances() and key not in ingredients:
                ingredients.append(key)
    out = [
        _ingredient_finding(text, hit, product, ingredient, i == 0)
        for i, ingredient in enumerate(ingredients)
    ]
    if product.incomplete:
        listed = ", ".join(product.ingredients) or "nothing"
        out.append(
            _unscreened(
                text,
                COMPOSITION_INCOMPLETE,
                f"The register lists only part of what {product.name} contains (it names "
                f"{listed}); the rest was not screened.",
                ASK_CONTAINS,
                matched=_matched(hit, listed),
            )
        )
    return out


def _with_stems(result: MatchResult[Product]) -> MatchResult[Product]:
    """Read unmatched words that contain an ingredient stem ("kodeinfosfat", "Codeintropfen")."""
    hits = list(result.hits)
    unmatched = list(result.unmatched)
    subs = substances()
    for word in result.unmatched:
        key = stem_key(word)
        if key is None or key not in subs:
            continue
        i = result.words.index(word)
        product = Product(key, (key,), subs[key].atc, None, source="ingredient")
        hits.append(Hit(i, i + 1, word, product, STEM_SCORE))
        unmatched.remove(word)
    if len(hits) == len(result.hits):
        return result
    return MatchResult(result.text, result.words, tuple(hits), tuple(unmatched))


def _medication_findings(text: str) -> list[Finding]:
    name, contains = split_contains(text)
    out: list[Finding] = []
    seen: set[tuple[str | None, str]] = set()

    def keep(findings: list[Finding]) -> None:
        for f in findings:
            if (f.substance, f.rule) not in seen or f.substance is None:
                seen.add((f.substance, f.rule))
                out.append(f)

    for part in contains:
        result = medication_index().match(part)
        if not result.hits:
            out.append(
                _unscreened(
                    text,
                    INGREDIENT_NOT_SCREENED,
                    f"The ingredient '{part}' is not recognised - not screened.",
                    "Check the spelling on the pack, or ask a pharmacist.",
                    substance=part,
                )
            )
        for hit in result.hits:
            keep(_product_findings(text, hit))
    named = _with_stems(medication_index().match(name)) if name else None
    if named is not None and named.hits:
        for hit in named.hits:
            keep(_product_findings(text, hit))
        leftover = [w for w in named.unmatched if len(w) >= 2 and not w.isdigit()]
        if leftover and not contains:
            out.append(_partly(text, leftover))
    elif not contains and name:
        condition = known_condition_index().match(name)
        exact = [h for h in condition.hits if not h.fuzzy]
        if exact and not condition.unmatched:
            rule = rules()[CONDITION_ENTERED]
            label = str(exact[0].target)
            out.append(
                Finding(
                    input=text,
                    kind="medication",
                    matched=exact[0].alias,
                    rule=CONDITION_ENTERED,
                    severity=rule.severity,
                    message=rule.message.format(substance=label),
                    action=rule.action,
                    references=(),
                )
            )
            out.extend(f for f in _condition_findings(name) if f.rule != NOT_RECOGNISED)
        else:
            out.append(_not_recognised(text, "medication"))
    return out


def _condition_findings(text: str) -> list[Finding]:
    result = condition_index().match(text)
    out: list[Finding] = []
    seen: set[str] = set()
    for hit in result.hits:
        code: str = hit.target
        if code in seen:
            continue
        seen.add(code)
        rule = rules()[code]
        out.append(
            Finding(
                input=text,
                kind="condition",
                matched=_matched(hit, hit.alias),
                rule=code,
                severity=rule.severity,
                message=rule.message,
                action=rule.action,
                references=_refs(rule),
                fuzzy_score=hit.score if hit.fuzzy else None,
            )
        )
    return out or [_not_recognised(text, "condition")]


def screen(medications: Sequence[str] = (), conditions: Sequence[str] = ()) -> ScreeningResult:
    """Screen medications and conditions; blank entries are skipped."""
    meds = tuple(m for m in medications if m and m.strip())
    conds = tuple(c for c in conditions if c and c.strip())
    findings: list[Finding] = []
    for med in meds:
        findings.extend(_medication_findings(med.strip()))
    for cond in conds:
        findings.extend(_condition_findings(cond.strip()))
    return ScreeningResult(meds, conds, tuple(findings))
