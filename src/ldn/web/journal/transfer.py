"""Import and export pages: upload → preview (mapping and every problem) → confirm → commit."""

from __future__ import annotations

import io
import secrets
import zipfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ldn.interop import FORMATS, ExportBundle, parse_import, write_csv, write_json
from ldn.web.accounts.clock import local_today
from ldn.web.journal import records
from ldn.web.journal.models import Medication, Symptom
from ldn.web.journal.pending import pending_upload_dir
from ldn.web.journal.views import _patient

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SESSION_KEY = "pending_import"


class ImportForm(forms.Form):
    format = forms.ChoiceField(label="The file comes from", choices=FORMATS)
    file = forms.FileField(label="File", help_text="CSV or JSON, at most 5 MB.")


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        known = list(Symptom.objects.filter(patient=patient).values_list("name", flat=True))
        preview = parse_import(
            form.cleaned_data["format"],
            data,
            today=local_today(patient),
            known_symptoms=known,
            max_bytes=MAX_UPLOAD_BYTES,
        )
        token = ""
        if preview.ok:
            token = secrets.token_urlsafe(16)
            (pending_upload_dir(patient) / token).write_bytes(data)
            request.session[SESSION_KEY] = {
                "token": token,
                "format": form.cleaned_data["format"],
                "name": upload.name,
            }
        return render(
            request,
            "journal/import_preview.html",
            {"preview": preview, "name": upload.name, "format": form.cleaned_data["format"]},
        )
    return render(
        request, "journal/import.html", {"form": form, "max_mb": MAX_UPLOAD_BYTES // 2**20}
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    pending = request.session.pop(SESSION_KEY, None)
    path = pending_upload_dir(patient) / pending["token"] if pending else None
    if path is None or not path.exists():
        messages.error(
            request, "That import has expired or was already saved. Upload the file again."
        )
        return redirect("journal:import")
    data = path.read_bytes()
    path.unlink()
    known = list(Symptom.objects.filter(patient=patient).values_list("name", flat=True))
    preview = parse_import(
        pending["format"],
        data,
        today=local_today(patient),
        known_symptoms=known,
        max_bytes=MAX_UPLOAD_BYTES,
    )
    if not preview.ok:
        return render(
            request, "journal/import_preview.html", {"preview": preview, "name": pending["name"]}
        )
    result = records.commit_import(patient, preview, by=patient)
    messages.success(
        request,
        f"Imported {pending['name']}: {result.created} new days, {result.updated} updated, "
        f"{result.unchanged} already up to date.",
    )
    return redirect("journal:history")


def export_bundle(patient) -> ExportBundle:  # type: ignore[no-untyped-def]
    profile = getattr(patient, "profile", None)
    return ExportBundle(
        exported_at=timezone.now(),
        profile={
            "username": patient.username,
            "email": patient.email,
            "time_zone": profile.time_zone if profile else "UTC",
            "date_of_birth": profile.date_of_birth.isoformat()
            if profile and profile.date_of_birth
            else None,
            "sex": profile.sex if profile else None,
            "conditions": profile.conditions if profile else [],
            "pregnancy": profile.pregnancy if profile else None,
            "breastfeeding": profile.breastfeeding if profile else None,
        },
        symptoms=tuple(
            {"key": s.key, "name": s.name, "active": s.active}
            for s in Symptom.objects.filter(patient=patient)
        ),
        days=tuple(records.day_records(patient)),
        medications=tuple(
            {
                "name": m.name,
                "is_ldn": m.is_ldn,
                "dose": m.dose,
                "unit": m.unit,
                "form": m.form,
                "schedule": m.schedule,
                "prescriber": m.prescriber,
                "started_on": m.started_on.isoformat() if m.started_on else None,
                "stopped_on": m.stopped_on.isoformat() if m.stopped_on else None,
            }
            for m in Medication.objects.filter(patient=patient)
        ),
    )


@login_required
def export_zip(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    bundle = export_bundle(patient)
    symptoms = [s["name"] for s in bundle.symptoms]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ldn-companion-export.json", write_json(bundle))
        archive.writestr("journal.csv", write_csv(bundle.days, symptoms))
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="ldn-companion-{stamp}.zip"'
    return response
