"""Domain errors for dosing: each names the parameter, the rule and the offending value."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ldn.dosing.dose_rule import DoseCheck


class PlanError(ValueError):
    """A titration plan, step string, pause or template that breaks a rule."""


class LiquidError(ValueError):
    """A liquid-LDN calculation asked with impossible inputs (zero volume, negative numbers...)."""


class DoseError(ValueError):
    """A dose that breaks the dose rule (ldn.dosing.dose_rule)."""


class DoseRefused(DoseError):
    """A dose outside the entry limits (not a number, below 0.1 mg or above 50 mg)."""


class DoseNeedsConfirmation(DoseError):
    """A dose above the usual LDN range entered without its confirmation."""

    def __init__(self, message: str, check: DoseCheck) -> None:
        super().__init__(message)
        self.check = check
