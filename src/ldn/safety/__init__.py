"""Safety screening of medications and conditions against LDN, opioids first."""

from ldn.safety.rules import SEVERITIES, Reference, Rule, rules
from ldn.safety.screening import (
    UNSCREENED_RULES,
    Finding,
    ScreeningResult,
    screen,
    split_contains,
    summary_lines,
)

__all__ = [
    "SEVERITIES",
    "UNSCREENED_RULES",
    "Finding",
    "Reference",
    "Rule",
    "ScreeningResult",
    "rules",
    "screen",
    "split_contains",
    "summary_lines",
]
