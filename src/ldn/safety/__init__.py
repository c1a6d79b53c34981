"""Safety screening of medications and conditions against LDN, opioids first."""

from ldn.safety.rules import SEVERITIES, Reference, Rule, references, rules
from ldn.safety.screening import Finding, ScreeningResult, screen

__all__ = [
    "SEVERITIES",
    "Finding",
    "Reference",
    "Rule",
    "ScreeningResult",
    "references",
    "rules",
    "screen",
]
