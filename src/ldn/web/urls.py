"""Top-level URLs: one include per app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ldn.web.pages.urls")),
    path("accounts/", include("ldn.web.accounts.urls")),
    path("journal/", include("ldn.web.journal.urls")),
    path("admin/", admin.site.urls),
]
