"""Admin registrations. Every administrator look at, or change of, a patient's data is written
to that patient's access log through ldn.web.access, like a clinician's."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse

from ldn.web import access
from ldn.web.accounts.models import PatientProfile, Share, User


class AuditedAdmin(admin.ModelAdmin):
    """Writes the patient's access log for each record an administrator opens, changes, deletes
    or sees in a list."""

    audit_area = "account"

    def patient_of(self, obj: Any) -> User | None:
        patient = getattr(obj, "patient", None) or getattr(obj, "user", None)
        return patient if isinstance(patient, User) and patient.is_patient else None

    def _audit(self, request: HttpRequest, obj: Any, action: str, what: str) -> None:
        patient = self.patient_of(obj) if obj is not None else None
        if patient is not None and isinstance(request.user, User):
            label = f"administrator: {what} {obj._meta.verbose_name} {obj.pk}"
            access.audit(request.user, patient, self.audit_area, label, action=action)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "POST":
            self._audit(request, obj, "write", "changed")
        else:
            self._audit(request, obj, "read", "viewed")
        return response

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if request.method != "POST":
            self._audit(request, obj, "read", "viewed before deleting")
        # A deleted record's log entry is written first; deleting a patient's account removes
        # their log with everything else (docs/import-export.md).
        elif obj is not None:
            self._audit(request, obj, "write", "deleted")
        return super().delete_view(request, object_id, extra_context)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        self._audit(request, obj, "read", "viewed the history of")
        return super().history_view(request, object_id, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        for obj in getattr(changelist, "result_list", []):
            self._audit(request, obj, "list", "saw in the list")
        return response


@admin.register(User)
class LdnUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[misc]
    list_display = ("username", "email", "role", "is_staff")
    list_filter = ("role", "is_staff")
    # No password field: not even the masked hash is shown (a new one is set through the
    # admin's own "change password" page, which never shows the old one).
    fieldsets = (
        (None, {"fields": ("username",)}),
        *UserAdmin.fieldsets[1:],  # type: ignore[index]
        ("Role", {"fields": ("role",)}),
    )

    def patient_of(self, obj: Any) -> User | None:
        return obj if isinstance(obj, User) and obj.is_patient else None


@admin.register(PatientProfile)
class PatientProfileAdmin(AuditedAdmin):
    pass


@admin.register(Share)
class ShareAdmin(AuditedAdmin):
    audit_area = "sharing"
