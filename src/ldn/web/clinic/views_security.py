"""Two-factor sign-in: set up an authenticator app, or enter its code after the password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from ldn.web.accounts.models import User
from ldn.web.clinic import twofactor
from ldn.web.clinic.forms import TokenForm
from ldn.web.methods import methods


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and ok else "/dashboard/"


@methods("GET", "POST")
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify a code; with no confirmed device yet, set one up first (clinicians must)."""
    user = request.user
    assert isinstance(user, User)
    device = twofactor.confirmed_device(user)
    setup = device is None
    if setup:
        device = twofactor.setup_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(request, form.cleaned_data["token"]):
            if setup:
                messages.success(request, "Two-factor sign-in is on for your account.")
                codes = twofactor.new_recovery_codes(user)
                return render(
                    request, "clinic/recovery_codes.html", {"codes": codes, "next": _next(request)}
                )
            return redirect(_next(request))
        form.add_error(
            "token",
            "That code is not right, has expired or was already used. Enter the current one.",
        )
    context = {
        "form": form,
        "setup": setup,
        "required": twofactor.required(user),
        "next": _next(request),
        "qr": twofactor.qr_svg(device) if setup else "",
        "secret": twofactor.secret_base32(device) if setup else "",
    }
    return render(request, "clinic/two_factor.html", context)


@methods("POST")
@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if twofactor.required(user):
        messages.error(
            request, "Two-factor sign-in is required for clinician and administrator accounts."
        )
    elif not user.check_password(request.POST.get("password", "")):
        messages.error(request, "That is not your password; two-factor sign-in stays on.")
    else:
        twofactor.disable(user)
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("clinic:sharing")
