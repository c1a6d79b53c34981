"""Journal pages. Every record is fetched through ldn.web.access."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ldn.web import access
from ldn.web.journal.models import DailyEntry

AREA = "journal"


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_owned_or_404(request.user, DailyEntry, area=AREA, pk=pk)
    ratings = entry.ratings.select_related("symptom").order_by("symptom__position")
    return render(request, "journal/entry_detail.html", {"entry": entry, "ratings": ratings})


@login_required
@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_owned_or_404(request.user, DailyEntry, area=AREA, write=True, pk=pk)
    day = entry.day
    entry.delete()
    messages.success(request, f"The entry for {day:%d %B %Y} was deleted.")
    return redirect("dashboard")
