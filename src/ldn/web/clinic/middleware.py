"""Keep a pending two-factor session away from every page but the 2FA page and log-out, keep
a clinician signed in with a one-time password on the password-change page until they choose
their own (and out once it is older than 72 hours), and give clinicians a short idle timeout."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from ldn.web.access import ShareEnded
from ldn.web.clinic import accounts_hygiene
from ldn.web.clinic.twofactor import is_pending


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_clinician:  # type: ignore[union-attr]
            first_sign_in = accounts_hygiene.state(user)  # type: ignore[arg-type]
            if first_sign_in == "expired":
                logout(request)
                hours = accounts_hygiene.TEMPORARY_PASSWORD_HOURS
                return render(request, "clinic/password_expired.html", {"hours": hours}, status=403)
            if first_sign_in == "must_change":
                if not self._changing_password(request.path):
                    return HttpResponseRedirect(reverse("password_change"))
                return self.get_response(request)  # the new password first, then the 2FA
        if user.is_authenticated:
            if is_pending(request) and not self._allowed(request.path):
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('clinic:two_factor')}?{query}")
            idle = settings.LDN_CLINICIAN_IDLE_SECONDS
            if user.is_clinician and request.session.get("_session_expiry") != idle:  # type: ignore[union-attr]
                request.session.set_expiry(idle)  # kept on by accounts.middleware.touch_session
        return self.get_response(request)

    @staticmethod
    def _changing_password(path: str) -> bool:
        open_paths = {reverse("password_change"), reverse("logout")}
        return path in open_paths or path.startswith("/" + settings.STATIC_URL.lstrip("/"))

    @staticmethod
    def _allowed(path: str) -> bool:
        open_paths = {reverse("clinic:two_factor"), reverse("logout")}
        return path in open_paths or path.startswith("/" + settings.STATIC_URL.lstrip("/"))


class ShareEndedMiddleware:
    """A clinician who opens a patient that stopped sharing gets a page saying so, with a way
    back to their list, instead of a bare "Not Found" (the status stays 404: nothing is shown)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ShareEnded):
            return render(request, "clinic/share_ended.html", status=404)
        return None
