"""Lock-out that protects an account without locking out a clinic.

Failed sign-ins are counted per account and, separately and with a higher limit, per address:
five wrong passwords lock that account (from any address) for the cool-off time; many failures
from one address, across accounts, lock that address. A colleague behind the same address,
with the right password, still signs in. A locked account can still reset its password, and a
reset clears its failures.

The client's address is the connection's, unless the site says it sits behind trusted proxies
(`LDN_TRUSTED_PROXY_COUNT`): only then is X-Forwarded-For read, from the right, skipping the
proxies' own entries, so a client cannot choose its own address by sending the header.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse


def client_ip(request: HttpRequest) -> str | None:
    proxies = settings.LDN_TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    # With N trusted proxies, the last N-1 entries were added by our own proxies; the entry
    # before them is what the outermost proxy saw.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote


def _failures(request: HttpRequest, **lookup: Any) -> int:
    attempts = AccessAttempt.objects.filter(**lookup)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class AccountFirstHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: AXES_FAILURE_LIMIT per account and
    LDN_LOGIN_ADDRESS_FAILURE_LIMIT per address (axes itself has one limit for all)."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        by_account = _failures(request, username=username) if username else 0
        address = getattr(request, "axes_ip_address", None)
        by_address = _failures(request, ip_address=address) if address else 0
        if by_address >= settings.LDN_LOGIN_ADDRESS_FAILURE_LIMIT:
            # Reported in the account limit's units, which is what axes compares with.
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # A successful sign-in clears that account's failures only: clearing the address's
        # would let an attacker reset another account's count by signing in to their own.
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(deleted)


def clear_account(username: str) -> None:
    """A password reset ends the account's lock-out (the address's count is left alone)."""
    reset(username=username)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation; a new password also ends the account's lock-out."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        clear_account(form.user.get_username())
        return response
