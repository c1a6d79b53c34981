"""`mg`: a dose as people write it (4.5, 1, 0.25); `usual_ldn_range`: the one stated range."""

from __future__ import annotations

from django import template

from ldn.dosing import mg_number, usual_range

register = template.Library()


@register.filter
def mg(value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        return mg_number(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


@register.simple_tag
def usual_ldn_range() -> str:
    """The usual LDN range as stated in ldn/dosing/data/dose_rule.yaml: '0.5 to 4.5 mg'."""
    return usual_range().text
