"""The manifest and the service worker live at the site root: a worker's scope is its folder."""

from django.urls import path

from ldn.web.pwa import views

# "isodate" is registered by ldn.web.journal.urls, included before this module.
app_name = "pwa"
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("offline/keep-saved/<isodate:day>/", views.keep_saved, name="keep_saved"),
]
