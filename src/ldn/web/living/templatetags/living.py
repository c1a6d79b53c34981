"""The hooks other pages include: the check-in's extra set and the dashboard's course."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from ldn.web.accounts import clock
from ldn.web.accounts.models import User
from ldn.web.living import services
from ldn.web.living.forms import BottleForm, ExtraDayForm

register = template.Library()


@register.filter
def add_days(value: dt.date, days: int) -> dt.date:
    return value + dt.timedelta(days=int(days))


@register.inclusion_tag("living/_checkin_extra.html", takes_context=True)
def living_checkin(context: dict[str, Any], day: dt.date) -> dict[str, Any]:
    user = context["request"].user
    if not isinstance(user, User) or not user.is_patient:
        return {"extra": None}
    extra = services.extra_set(user, day)
    form = ExtraDayForm(items=extra.items, initial=extra.saved)
    return {"extra": extra, "form": form, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("living/_dashboard.html", takes_context=True)
def living_dashboard(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not isinstance(user, User) or not user.is_patient:
        return {}
    today = clock.local_today(user)
    change = services.open_window(user, today)
    experiment = services.running_experiment(user, today)
    return {
        "window": services.window_view(user, change, today) if change else None,
        "experiment": experiment,
        "tonight": services.timing.time_on(services.schedule_of(experiment), today)
        if experiment
        else None,
        "watch": services.thyroid_watch_open(user, today),
        "refill": services.refill_prompt(user, today),
        "bottle_form": BottleForm(initial={"started_on": today}, auto_id="bottle_%s"),
        "csrf_token": context.get("csrf_token"),
    }
