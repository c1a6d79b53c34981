"""Domain errors for dosing: each names the parameter, the rule and the offending value."""

from __future__ import annotations


class PlanError(ValueError):
    """A titration plan, step string, pause or template that breaks a rule."""


class LiquidError(ValueError):
    """A liquid-LDN calculation asked with impossible inputs (zero volume, negative numbers...)."""
