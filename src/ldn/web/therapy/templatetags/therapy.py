"""`mg`: a dose as people write it (4.5, 1, 0.25), without float noise or trailing zeros."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def mg(value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        return f"{round(float(value), 3):g}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
