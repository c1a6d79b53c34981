"""The web app manifest and the service worker, both rendered so they name the static files."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import cache_control

from ldn.web.methods import methods

THEME = "#1d5c63"  # the brand colour of icon.svg and site.css
BACKGROUND = "#f6f8f7"  # site.css --bg
# The push helper's handlers (push, notificationclick), imported into the worker if present.
PUSH_HANDLERS = "push/sw-push.js"


def user_key(user: object) -> str:
    """An opaque, stable name for the signed-in user ("" when nobody is): the service worker
    keeps each user's pages in a cache of this name and drops the others' (a shared phone)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("ldn.web.pwa.user_key", str(user.pk)).hexdigest()[:20]  # type: ignore[attr-defined]


def _push_handlers_url() -> str | None:
    """The push helper's script if it exists (the worker must load without it)."""
    if not finders.find(PUSH_HANDLERS):
        return None
    try:
        return static(PUSH_HANDLERS)
    except ValueError:  # a manifest storage that has not collected it yet
        return f"{settings.STATIC_URL}{PUSH_HANDLERS}"


def manifest_data() -> dict[str, object]:
    icon = static("pwa/icon-512.png")
    return {
        "id": "/",
        "name": "LDN Companion",
        "short_name": "LDN",
        "description": "A journal and guide for people taking low-dose naltrexone.",
        "lang": "en-GB",
        "start_url": reverse("dashboard"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            {"src": static("pwa/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": icon, "sizes": "512x512", "type": "image/png"},
            {
                "src": static("pwa/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


@methods("GET")
@cache_control(no_cache=True)
def manifest(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        json.dumps(manifest_data(), indent=2), content_type="application/manifest+json"
    )


@methods("GET")
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {"push_handlers": _push_handlers_url()}
    return render(request, "pwa/sw.js", context, content_type="text/javascript")
