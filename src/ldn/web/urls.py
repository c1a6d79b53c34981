"""Top-level URLs: one include per app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ldn.web.pages.urls")),
    path("", include("ldn.web.pwa.urls")),
    path("accounts/", include("ldn.web.accounts.urls")),
    path("journal/", include("ldn.web.journal.urls")),
    path("learn/", include("ldn.web.learn.urls")),
    path("how-ldn-works/", include("ldn.web.science.urls")),
    path("therapy/", include("ldn.web.therapy.urls")),
    path("insights/", include("ldn.web.insights.urls")),
    path("clinic/", include("ldn.web.clinic.urls")),
    path("living/", include("ldn.web.living.urls")),
    path("push/", include("ldn.web.push.urls")),
    path("admin/", admin.site.urls),
]
