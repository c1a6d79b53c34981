"""The patient's side: invite a clinician, see and revoke shares, the access log, notes shared
with them, and questions for the next visit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ldn.web import access
from ldn.web.accounts.models import Share
from ldn.web.clinic import sharing, twofactor
from ldn.web.clinic.forms import InvitationForm, QuestionForm
from ldn.web.clinic.models import AuditEvent, ClinicianNote, Invitation, VisitQuestion
from ldn.web.methods import methods

NEW_CODE = "clinic_new_invitation_code"


@methods("GET", "POST")
@login_required
def sharing_page(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, code = sharing.create_invitation(
            patient, form.cleaned_data["areas"], form.cleaned_data["hours"]
        )
        request.session[NEW_CODE] = code  # shown once, on the next page view
        return redirect("clinic:sharing")
    code = request.session.pop(NEW_CODE, None)
    context = {
        "form": form,
        "new_code": sharing.pretty(code) if code else "",
        "join_url": request.build_absolute_uri(f"/clinic/join/{code}/") if code else "",
        "shares": [(s, sharing.area_labels(s.areas)) for s in sharing.active_shares(patient)],
        "invitations": [
            (i, sharing.area_labels(i.areas)) for i in sharing.pending_invitations(patient)
        ],
        "has_2fa": twofactor.confirmed_device(patient) is not None,
    }
    return render(request, "clinic/sharing.html", context)


@methods("POST")
@login_required
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.get_owned_or_404(
        request.user, Invitation, area="journal", write=True, pk=pk
    )
    sharing.cancel(invitation)
    messages.success(request, "Invitation cancelled: its code no longer works.")
    return redirect("clinic:sharing")


@methods("POST")
@login_required
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    share = access.get_owned_or_404(request.user, Share, area="journal", write=True, pk=pk)
    if share.revoked_at is None:
        share.revoke()
    name = share.clinician.get_full_name() or share.clinician.get_username()
    messages.success(request, f"Sharing with {name} has ended. They can no longer see your record.")
    return redirect("clinic:sharing")


@methods("GET")
@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    events = access.own_records(patient, AuditEvent).order_by("-at", "-pk")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "clinic/access_log.html", {"page": page})


@methods("GET")
@login_required
def shared_notes(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    notes = (
        access.own_records(patient, ClinicianNote)
        .filter(shared_with_patient=True)
        .select_related("author")
    )
    return render(request, "clinic/patient_notes.html", {"notes": notes})


@methods("GET", "POST")
@login_required
def questions(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        access.create_own(patient, VisitQuestion, text=form.cleaned_data["text"])
        messages.success(request, "Question added; it is printed on your visit report.")
        return redirect("clinic:questions")
    items = access.own_records(patient, VisitQuestion)
    return render(request, "clinic/questions.html", {"form": form, "questions": items})


@methods("POST")
@login_required
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = access.get_owned_or_404(
        request.user, VisitQuestion, area="journal", write=True, pk=pk
    )
    question.delete()
    messages.success(request, "Question removed.")
    return redirect("clinic:questions")
