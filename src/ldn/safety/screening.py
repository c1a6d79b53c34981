"""The screen: every medication and condition against every rule, reporting every finding.

Nothing stops at the first hit. An input nothing recognises is reported as "not recognised -
not screened", never as safe; an input recognised only in part reports the unrecognised part
the same way, because combination products can hide other ingredients.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ldn.safety.matching import Hit
from ldn.safety.rules import (
    SEVERITY_RANK,
    Product,
    Rule,
    atc_groups,
    condition_index,
    medication_index,
    rules,
    substances,
)

NOT_RECOGNISED = "NOT_RECOGNISED"
PARTLY_RECOGNISED = "PARTLY_RECOGNISED"
INGREDIENT_NOT_SCREENED = "INGREDIENT_NOT_SCREENED"


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


def _refs(rule: Rule) -> tuple[str, ...]:
    return tuple(r.text for r in rule.references)


def _matched(hit: Hit[Any], target: str) -> str:
    fuzzy = f" (fuzzy {hit.score:.0f}: check the spelling)" if hit.fuzzy else ""
    if hit.alias.lower() == target.lower():
        return f"{hit.alias}{fuzzy}"
    return f"{hit.alias}{fuzzy} -> {target}"


def _not_recognised(text: str, kind: str) -> Finding:
    what = "medication" if kind == "medication" else "condition"
    return Finding(
        input=text,
        kind=kind,
        matched=None,
        rule=NOT_RECOGNISED,
        severity="not_screened",
        message=f"Not recognised - not screened. This {what} is not in the screening rules, "
        "so the app cannot say whether it is safe with LDN.",
        action="Check the spelling, or ask a pharmacist or the prescriber about this "
        f"{what} with LDN.",
        references=(),
    )


def _partly(text: str, kind: str, words: Sequence[str]) -> Finding:
    rest = " ".join(words)
    return Finding(
        input=text,
        kind=kind,
        matched=None,
        rule=PARTLY_RECOGNISED,
        severity="not_screened",
        message=f"Only part of this entry was recognised; '{rest}' was not screened. "
        "Combination products can contain ingredients the screen does not know.",
        action="Check the full ingredient list on the label with a pharmacist.",
        references=(),
    )


def _medication_findings(text: str) -> list[Finding]:
    result = medication_index().match(text)
    subs = substances()
    groups = atc_groups()
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for hit in result.hits:
        product: Product = hit.target
        for ingredient in product.ingredients:
            substance = subs.get(ingredient)
            if substance is None:
                if (ingredient, INGREDIENT_NOT_SCREENED) in seen:
                    continue
                seen.add((ingredient, INGREDIENT_NOT_SCREENED))
                out.append(
                    Finding(
                        input=text,
                        kind="medication",
                        matched=_matched(hit, ingredient),
                        rule=INGREDIENT_NOT_SCREENED,
                        severity="not_screened",
                        message=f"{ingredient} (an ingredient of {product.name}) is not in the "
                        "screening rules - not screened.",
                        action="Ask a pharmacist whether this ingredient matters with LDN.",
                        references=(),
                        substance=ingredient,
                    )
                )
                continue
            primary = ingredient == product.ingredients[0]
            code = product.rule if primary and product.rule else substance.rule
            if (ingredient, code) in seen:
                continue
            seen.add((ingredient, code))
            rule = rules()[code]
            atc = product.atc if primary and product.atc else substance.atc
            group = groups.get((atc or "")[:5], "no ATC code")
            fields = {"substance": ingredient, "atc": atc or "none", "atc_group": group}
            out.append(
                Finding(
                    input=text,
                    kind="medication",
                    matched=_matched(hit, ingredient),
                    rule=code,
                    severity=rule.severity,
                    message=rule.message.format(**fields),
                    action=rule.action.format(**fields),
                    references=_refs(rule),
                    substance=ingredient,
                    atc=atc,
                    fuzzy_score=hit.score if hit.fuzzy else None,
                )
            )
    leftover = [w for w in result.unmatched if len(w) >= 2 and not w.isdigit()]
    if not out:
        return [_not_recognised(text, "medication")]
    if leftover:
        out.append(_partly(text, "medication", leftover))
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
