"""Sign-up and the patient's own profile; login, logout and passwords are Django's own views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ldn.web.accounts import deletion, onboarding
from ldn.web.accounts.forms import DeleteAccountForm, ProfileForm, SignUpForm
from ldn.web.accounts.models import PatientProfile
from ldn.web.methods import methods


@methods("GET", "POST")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        onboarding.start(user.profile)
        messages.success(
            request, "Welcome! Your account is ready. A few short steps set it up for you."
        )
        return redirect("onboarding")
    return render(request, "accounts/signup.html", {"form": form})


@methods("GET", "POST")
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if not request.user.is_patient:  # type: ignore[union-attr]
        return render(request, "accounts/clinician_profile.html")
    instance, _ = PatientProfile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


@methods("GET", "POST")
@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    """Delete the account and everything it owns, after the password is typed again."""
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)
        deletion.delete_account(user)  # type: ignore[arg-type]
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
