"""The admin pages, behind the same second factor as clinicians, and never showing secrets.

- Only a session verified with a TOTP code (django-otp) may use the admin: `OTPAdminSite`
  checks `user.is_verified()`. There is one sign-in path, the app's own: a password, then the
  code (clinic/two-factor); the admin's own password-only login form is never shown.
- Authenticator secrets and recovery codes are never displayed: device models are registered
  with `DeviceAdmin`, which shows the owner, the name and whether the device is confirmed, and
  lets an administrator delete a lost device, nothing else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.admin import OTPAdminSite
from django_otp.models import Device


class DeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed")
    fields = ("user", "name", "confirmed")
    readonly_fields = ("user", "name", "confirmed")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a device is set up by its owner, who scans its secret; never here

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SecureAdminSite(OTPAdminSite):
    site_header = "LDN Companion administration"
    site_title = "LDN Companion administration"
    index_title = "Administration"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)  # keep the admin's usual URL names (OTPAdminSite says "otpadmin")

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index")
        if request.user.is_authenticated and not request.user.is_verified():  # type: ignore[union-attr]
            query = urlencode({"next": target})
            return HttpResponseRedirect(f"{reverse('clinic:two_factor')}?{query}")
        return redirect_to_login(target, reverse("login"))

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models = (
            model_or_iterable
            if isinstance(model_or_iterable, list | tuple)
            else [model_or_iterable]
        )
        for model in models:
            if issubclass(model, Device):
                admin_class = DeviceAdmin
            super().register(model, admin_class, **options)
