"""`{% when_will_i_know %}`: the dashboard's "when will I know?" card, from the insights service
(the same memoised forecasts as the insights page, so neither recomputes what the other did)."""

from __future__ import annotations

from typing import Any

from django import template

from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import User
from ldn.web.insights import services

register = template.Library()


@register.inclusion_tag("insights/_when_will_i_know.html", takes_context=True)
def when_will_i_know(context: dict[str, Any]) -> dict[str, Any]:
    """The signed-in patient's own forecast (the dashboard shows only the patient's own data)."""
    user = context["request"].user
    if not isinstance(user, User) or not user.is_patient:
        return {"know": [], "show": False}
    today = local_today(user)
    return {
        "know": services.know_rows(user, today),
        "show": True,
        "compact": True,
    }
