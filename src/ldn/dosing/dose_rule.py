"""The one dose rule: the usual LDN range, doses that need confirming and doses that are refused.

Every place a dose is entered asks `check_doses` (or `dose_rule` when the confirmation is a plain
yes/no, as in the CLI). A dose between `entry_min_mg` and the top of the usual range passes; above
the usual range and up to `refuse_above_mg` it passes only once confirmed by someone who has seen
the dose and the range named; outside the entry limits it is refused. The range and its sources
live in data/dose_rule.yaml, nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ldn.dosing._data import Reference, cite, load_yaml
from ldn.dosing.errors import DoseNeedsConfirmation, DoseRefused


@dataclass(frozen=True)
class UsualRange:
    """The usual LDN dose range with the sources that give it."""

    min_mg: float
    max_mg: float
    references: tuple[Reference, ...]
    note: str

    @property
    def text(self) -> str:
        """'0.5 to 4.5 mg'."""
        return f"{self.min_mg:g} to {self.max_mg:g} mg"

    @property
    def source(self) -> str:
        """Short attribution for a sentence: 'LDN Research Trust 2021'."""
        first = self.references[0]
        who = first.authors or first.key  # every dose-rule source names its authors today
        return f"{who} {first.year}" if first.year else who


@dataclass(frozen=True)
class EntryLimits:
    min_mg: float
    max_mg: float


@cache
def usual_range() -> UsualRange:
    raw = load_yaml("dose_rule.yaml")["usual_range"]
    return UsualRange(
        min_mg=float(raw["min_mg"]),
        max_mg=float(raw["max_mg"]),
        references=cite(raw["references"]),
        note=" ".join(str(raw["note"]).split()),
    )


@cache
def entry_limits() -> EntryLimits:
    raw = load_yaml("dose_rule.yaml")
    return EntryLimits(min_mg=float(raw["entry_min_mg"]), max_mg=float(raw["refuse_above_mg"]))


def mg_number(dose: float) -> str:
    """A dose in mg as every page and message shows it: at most 3 decimals, no trailing zeros
    (4.5, 0.125, 3)."""
    return f"{round(float(dose), 3):g}"


def _mg(dose: float) -> str:
    return f"{dose:g} mg"


@dataclass(frozen=True)
class DoseCheck:
    """The rule applied to the doses of one entry (one dose, or every step of a plan)."""

    doses_mg: tuple[float, ...]
    high_mg: tuple[float, ...]  # doses above the usual range, in entry order, without repeats
    usual: UsualRange

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.high_mg)

    @property
    def key(self) -> str:
        """What a confirmation must carry: it confirms these doses and no others ('45' or '5,6')."""
        return ",".join(f"{d:g}" for d in self.high_mg)

    @property
    def named(self) -> str:
        """'45 mg' or '5 mg and 6 mg'."""
        names = [_mg(d) for d in self.high_mg]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def message(self) -> str:
        """Why a confirmation is asked, naming the dose and the usual range."""
        if not self.high_mg:
            return ""
        return (
            f"{self.named} is above the usual LDN range of {self.usual.text} "
            f"({self.usual.source}). Check the dose (4.5 typed as 45?) and confirm it only if "
            "your prescriber ordered it."
        )

    @property
    def warning(self) -> str:
        """A plan's standing note, after the confirmation: 'doses above the usual ...: 45 mg'."""
        if not self.high_mg:
            return ""
        return (
            f"doses above the usual LDN range of {self.usual.text} ({self.usual.source}): "
            f"{self.named}"
        )

    @property
    def confirmation_label(self) -> str:
        return (
            f"Yes, {self.named} is right: I know it is above the usual LDN range of "
            f"{self.usual.text}."
        )


def check_doses(doses_mg: Iterable[float], *, parameter: str = "dose_mg") -> DoseCheck:
    """Refuse doses outside the entry limits; report those above the usual range.

    Raises DoseRefused naming the parameter, the limits and the value.
    """
    limits = entry_limits()
    doses = tuple(doses_mg)
    for dose in doses:
        if isinstance(dose, bool) or not isinstance(dose, int | float) or math.isnan(dose):
            raise DoseRefused(f"{parameter} must be a number, got {dose!r}")
        if not limits.min_mg <= dose <= limits.max_mg:
            raise DoseRefused(
                f"{parameter} must be between {limits.min_mg:g} and {limits.max_mg:g} mg, "
                f"got {dose:g}"
            )
    usual = usual_range()
    high: list[float] = []
    for dose in doses:
        if dose > usual.max_mg and dose not in high:
            high.append(float(dose))
    return DoseCheck(doses_mg=tuple(float(d) for d in doses), high_mg=tuple(high), usual=usual)


def dose_rule(
    doses_mg: Iterable[float], *, confirmed: bool | str = False, parameter: str = "dose_mg"
) -> DoseCheck:
    """Apply the whole rule: refused doses and unconfirmed high doses raise.

    `confirmed` is True (a yes/no confirmation such as the CLI's --confirm-high-dose) or the
    `DoseCheck.key` a web form's checkbox carried, which confirms exactly those doses.
    """
    check = check_doses(doses_mg, parameter=parameter)
    if check.needs_confirmation and confirmed is not True and confirmed != check.key:
        raise DoseNeedsConfirmation(check.message, check)
    return check
