"""Tells the service worker whose page a response is, so it caches each user's pages apart."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ldn.web.pwa.views import user_key

HEADER = "X-LDN-User"


def user_key_header(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., object]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response[HEADER] = user_key(getattr(request, "user", None))  # "": nobody signed in
        return response

    return middleware
