"""A deliberately broken view that fetches a record without the access module."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from ldn.web.journal.models import DailyEntry


@login_required
def leaky_entry(request, pk):
    entry = get_object_or_404(DailyEntry, pk=pk)
    return HttpResponse(str(entry.day))


urlpatterns = [
    path("leaky/<int:pk>/", leaky_entry, name="leaky_entry"),
    path("", include("ldn.web.urls")),
]
