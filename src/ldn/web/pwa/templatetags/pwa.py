"""`{% pwa_head %}`: the manifest, icons, theme colours and the worker's registration script."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from ldn.web.pwa import views

register = template.Library()


@register.inclusion_tag("pwa/_head.html", takes_context=True)
def pwa_head(context: template.Context) -> dict[str, object]:
    request: HttpRequest | None = context.get("request")
    user = getattr(request, "user", None)
    return {"theme": views.THEME, "user_key": views.user_key(user)}
