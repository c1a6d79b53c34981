"""`{% pwa_head %}`: the manifest, icons, theme colours and the worker's registration script."""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse

from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import User
from ldn.web.pwa import views

register = template.Library()

OFFLINE_DAYS = 14  # the check-ins of the last 14 days open offline


def offline_pages(user: object) -> list[str]:
    """The pages the worker keeps ready for a patient: today, the history, 14 days' check-ins."""
    if not isinstance(user, User) or not user.is_patient:
        return []
    today = local_today(user)
    days = [today - dt.timedelta(days=n) for n in range(1, OFFLINE_DAYS)]
    # One day's address from the resolver, the others by putting each date in it: 13 reversals
    # were most of this tag's time, which every patient page pays.
    one = reverse("journal:checkin_day", kwargs={"day": today})
    return [
        reverse("dashboard"),
        reverse("journal:checkin"),
        reverse("journal:history"),
        *(one.replace(today.isoformat(), day.isoformat()) for day in days),
    ]


@register.inclusion_tag("pwa/_head.html", takes_context=True)
def pwa_head(context: template.Context) -> dict[str, object]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "theme": views.THEME,
        "user_key": views.user_key(user),
        "offline_pages": " ".join(offline_pages(user)),
    }
