"""Idle sessions end a fixed time after the last request, without a database write per request.

Django pushes a session's expiry on only when the session is saved. Saving on every request
(`SESSION_SAVE_EVERY_REQUEST`) was a write per page view (about 7% of a page's time under load);
here the session is marked changed, and so saved with its expiry pushed on, at most once per
`LDN_SESSION_TOUCH_SECONDS`. A session then ends between its idle limit (`SESSION_COOKIE_AGE`,
a clinician's `LDN_CLINICIAN_IDLE_SECONDS`) minus that interval and the limit itself after the
last request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ldn.web.accounts import clock

TOUCHED = "_ldn_touched"  # epoch seconds of the last save that pushed the expiry on


def touch_session(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None:
            return response  # no session (anonymous, or signed out during this request)
        at = int(clock.now().timestamp())
        if at - int(session.get(TOUCHED, 0)) >= settings.LDN_SESSION_TOUCH_SECONDS:
            session[TOUCHED] = at
        return response

    return middleware
