"""Keep a pending two-factor session away from every page but the 2FA page and log-out, and
give clinicians a short idle timeout."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from ldn.web.clinic.twofactor import is_pending


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if is_pending(request) and not self._allowed(request.path):
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('clinic:two_factor')}?{query}")
            if user.is_clinician:  # type: ignore[union-attr]
                request.session.set_expiry(settings.LDN_CLINICIAN_IDLE_SECONDS)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        open_paths = {reverse("clinic:two_factor"), reverse("logout")}
        return path in open_paths or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
