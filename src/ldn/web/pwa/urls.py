"""The manifest and the service worker live at the site root: a worker's scope is its folder."""

from django.urls import path

from ldn.web.pwa import views

app_name = "pwa"
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
]
