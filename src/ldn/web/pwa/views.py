"""The web app manifest and the service worker, both rendered so they name the static files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import cache_control

from ldn.web import access
from ldn.web.accounts.models import User
from ldn.web.journal import services
from ldn.web.journal.forms import CheckInForm
from ldn.web.methods import methods
from ldn.web.pwa import compare, sync

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


# Static files every offline page needs, fetched when the worker installs.
SHELL = (
    "ldn/site.css",
    "learn/learn.css",
    "ldn/icon.svg",
    "journal/journal.css",
    "journal/checkin.js",
    "living/living.css",
    "therapy/therapy.css",
    "pwa/pwa.css",
    "pwa/register.js",
    "pwa/queue.js",
)


def _shell_version() -> str:
    """Changes whenever a shell file or the worker's template changes: a new worker, new caches."""
    digest = hashlib.sha256()
    for name in (*SHELL, "pwa/sw.js"):
        path = finders.find(name) or str(Path(__file__).parent / "templates" / name)
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


@methods("GET")
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {
        "push_handlers": _push_handlers_url(),
        "queue_script": static("pwa/queue.js"),
        "version": _shell_version(),
        "static_prefix": settings.STATIC_URL,
        "offline_url": reverse("pwa:offline"),
        "logout_url": reverse("logout"),
        "shell": [static(name) for name in SHELL],
    }
    return render(request, "pwa/sw.js", context, content_type="text/javascript")


# --- Check-ins sent later by the offline queue (static/pwa/queue.js) ---------------------------

QUEUE_HEADER = "X-LDN-Queue"
ANSWERS = {
    "saved": "Saved your check-in for {day}, made on this device while offline.",
    "duplicate": "Your check-in for {day}, made on this device while offline, is saved (it had "
    "already arrived; nothing was saved twice).",
    "discarded": "Your check-in for {day} made offline was set aside: you kept the one saved "
    "before.",
    "conflict": "Your check-in for {day} made offline was not saved: the day was saved "
    "elsewhere meanwhile. Compare the two and choose which to keep.",
    "invalid": "Your check-in for {day} made offline was not saved: some answers need fixing. "
    "Open it to see what to change.",
    "other_account": "A check-in for {day} kept on this device belongs to another account; it "
    "is sent when that account logs in here again.",
}


def is_queued_send(request: HttpRequest) -> bool:
    return request.method == "POST" and request.headers.get(QUEUE_HEADER) == "1"


def sent_by(request: HttpRequest, patient: object) -> bool:
    """Whether a queued check-in was made by the account now signed in (a shared phone)."""
    return request.POST.get("ldn_user", "") == user_key(patient)


def queue_answer(outcome: str, day: dt.date) -> JsonResponse:
    """The server's answer to the queue, shown to the patient by the page that sent it."""
    return JsonResponse(
        {
            "outcome": outcome,
            "message": ANSWERS[outcome].format(day=f"{day:%A %-d %B}"),
            "url": reverse("journal:checkin_day", kwargs={"day": day}),
        }
    )


def conflict(request: HttpRequest, patient: User, day: dt.date, form: CheckInForm) -> HttpResponse:
    """Both versions of a day, side by side, and the patient's choice (409 Conflict)."""
    initial, _ = services.initial_for(patient, day, None)  # what is saved, no plan suggestion
    resend = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "based_on")
        for value in values
    ]
    context = {
        "day": day,
        "rows": compare.rows(form, initial),
        "resend": resend,
        "current": services.day_version(patient, day),
        "key": form.cleaned_data.get("client_key"),
    }
    return render(request, "pwa/conflict.html", context, status=409)


@methods("POST")
@login_required
def keep_saved(request: HttpRequest, day: dt.date) -> HttpResponse:
    patient = access.patient_of(request)
    try:
        key = uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        messages.info(request, f"Kept the check-in saved for {day:%A %-d %B}.")
        return redirect("journal:checkin_day", day=day)
    sync.discard(patient, day, key)
    messages.success(
        request,
        f"Kept the check-in saved for {day:%A %-d %B}; the one made offline was set aside "
        "and will not be sent again.",
    )
    return redirect("journal:checkin_day", day=day)


@methods("GET")
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a page it has no copy of; the same for everyone (no account)."""
    return render(request, "pwa/offline.html")
