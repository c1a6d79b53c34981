"""Citation markers and badges for the library pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ldn.knowledge.models import Claim

register = template.Library()

DIRECTION_LABELS = {
    "benefit": "Benefit",
    "null": "Null result",
    "mixed": "Mixed result",
    "harm": "Harm",
    "safety-only": "Safety only",
    "unverified": "Unverified",
}


@register.simple_tag
def cite_keys(keys: list[str]) -> SafeString:
    """A bracketed list of short citations, each linking to the page's own source list."""
    from ldn.web.learn.views import kb

    if not keys:
        return SafeString("")
    links = format_html_join(
        ", ", '<a href="#src-{}">{}</a>', ((key, kb().reference(key).short) for key in keys)
    )
    return format_html('<span class="cite">[{}]</span>', links)


@register.simple_tag
def cite(claim: Claim) -> SafeString:
    return cite_keys(claim.refs)


@register.simple_tag
def short_ref(key: str) -> str:
    from ldn.web.learn.views import kb

    return kb().reference(key).short


@register.filter
def direction_label(direction: str) -> str:
    return DIRECTION_LABELS.get(direction, direction)


@register.filter
def direction_count(direction: str) -> str:
    """The short word used after a count: '2 null', '1 safety only'."""
    if direction == "null":
        return "null"
    return DIRECTION_LABELS.get(direction, direction).replace(" result", "").lower()


@register.inclusion_tag("learn/_grade_badge.html")
def grade_badge(letter: str, with_label: bool = False) -> dict[str, object]:
    from ldn.web.learn.views import kb

    return {"grade": kb().grade(letter), "with_label": with_label}


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key)
