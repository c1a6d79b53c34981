"""Questionnaire pages: what is due, the form, the scored result with its flags."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ldn.journal import QuestionnaireError, instruments, reference, score_questionnaire
from ldn.web import access
from ldn.web.accounts.clock import local_today
from ldn.web.journal.models import QuestionnaireResponse
from ldn.web.methods import methods

# Product schedule (not a clinical rule): every four weeks, so change can be followed over time.
EVERY_DAYS = 28


def _form_for(key: str, data: object = None) -> forms.Form:
    instrument = instruments()[key]
    form = forms.Form(data)  # type: ignore[arg-type]
    choices = [(o.value, o.label) for o in instrument.options]
    for item in instrument.items:
        form.fields[item.id] = forms.TypedChoiceField(
            label=item.text, choices=choices, coerce=int, widget=forms.RadioSelect,
            error_messages={"required": "Answer this question; every item is needed for a valid score."},
        )  # fmt: skip
    return form


@methods("GET")
@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    today = local_today(patient)
    latest = {}
    for response in access.own_records(patient, QuestionnaireResponse):
        latest.setdefault(response.instrument, response)
    rows = []
    for key, instrument in instruments().items():
        last = latest.get(key)
        due = last is None or (today - last.completed_on).days >= EVERY_DAYS
        rows.append({"key": key, "name": instrument.name, "last": last, "due": due})
    history = access.own_records(patient, QuestionnaireResponse)[:50]
    return render(request, "journal/questionnaires.html", {"rows": rows, "history": history})


@methods("GET", "POST")
@login_required
def questionnaire_fill(request: HttpRequest, instrument: str) -> HttpResponse:
    patient = access.patient_of(request)
    if instrument not in instruments():
        raise Http404("No such questionnaire.")
    spec = instruments()[instrument]
    form = _form_for(instrument, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = score_questionnaire(instrument, form.cleaned_data)
        except QuestionnaireError as exc:
            form.add_error(None, str(exc))
        else:
            saved = access.create_own(
                patient,
                QuestionnaireResponse,
                instrument=instrument,
                answers=dict(result.answers),
                total=result.total,
                band=result.band or "",
                flags=[
                    {"id": f.id, "message": f.message, "source": f.source} for f in result.flags
                ],
                completed_on=local_today(patient),
            )
            messages.success(request, f"{spec.name} saved.")
            return redirect("journal:questionnaire_result", pk=saved.pk)
    return render(request, "journal/questionnaire_form.html", {"form": form, "spec": spec})


@methods("GET")
@login_required
def questionnaire_result(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.get_owned_or_404(
        request.user, QuestionnaireResponse, area="questionnaires", pk=pk
    )
    spec = instruments()[response.instrument]
    sources = [reference(key) for key in spec.sources]
    flag_sources = {f["source"]: reference(f["source"]) for f in response.flags}
    return render(
        request,
        "journal/questionnaire_result.html",
        {"response": response, "spec": spec, "sources": sources, "flag_sources": flag_sources,
         "days_until_next": max(0, EVERY_DAYS - (local_today(response.patient) - response.completed_on).days)},
    )  # fmt: skip
