from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from ldn.web.accounts.models import PatientProfile, Share, User


@admin.register(User)
class LdnUserAdmin(UserAdmin):
    list_display = ("username", "email", "role", "is_staff")
    list_filter = ("role", "is_staff")
    fieldsets = (*UserAdmin.fieldsets, ("Role", {"fields": ("role",)}))  # type: ignore[misc]


admin.site.register(PatientProfile)
admin.site.register(Share)
