"""Import and export pages: upload → preview (format found, mapping, every problem) → confirm →
result. The uploaded file waits in the data folder (one folder per patient) until it is imported,
replaced, or 24 hours old; `purge_pending_uploads` deletes the old ones (the worker runs it every
hour, and every upload page runs it too) and `pending_upload_files` lists a patient's files, so
account deletion removes them.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import replace
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ldn.interop import (
    AUTO,
    FORMATS,
    LABELS,
    ImportPreview,
    ImportProblem,
    max_file_bytes,
    parse_import,
    read_json,
    write_csv,
    write_json,
)
from ldn.interop.json_export import ExportBundle
from ldn.web import access
from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import User
from ldn.web.journal import pending
from ldn.web.journal.bundle import Applied, apply_import, export_bundle
from ldn.web.journal.models import Symptom
from ldn.web.journal.pending import purge_pending_uploads
from ldn.web.methods import methods

MAX_UPLOAD_BYTES = max_file_bytes()
SESSION_KEY = "pending_import"
RESULT_KEY = "import_result"


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label="The file comes from",
        choices=[(AUTO, "Recognise the format from the file"), *FORMATS],
        initial=AUTO,
    )
    file = forms.FileField(
        label="File", help_text=f"CSV or JSON, at most {MAX_UPLOAD_BYTES // 2**20} MB."
    )


def _pending_dir(user: User) -> Path:
    return pending.pending_root() / str(user.pk)


def pending_upload_files(user: User) -> list[Path]:
    """The uploaded files of `user` waiting for confirmation (account deletion removes them)."""
    folder = _pending_dir(user)
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def _pending(request: HttpRequest, patient: User) -> tuple[dict[str, str], bytes] | None:
    """The session's pending upload and its bytes, or None when gone or expired."""
    purge_pending_uploads(timezone.now())
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return None
    path = _pending_dir(patient) / pending["token"]
    return (pending, path.read_bytes()) if path.is_file() else None


def _discard(request: HttpRequest, patient: User) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        (_pending_dir(patient) / pending["token"]).unlink(missing_ok=True)


def _parse(patient: User, fmt: str, data: bytes) -> tuple[ImportPreview, ExportBundle | None]:
    known = list(access.own_records(patient, Symptom).values_list("name", flat=True))
    preview = parse_import(
        fmt, data, today=local_today(patient), known_symptoms=known, max_bytes=MAX_UPLOAD_BYTES
    )
    bundle = None
    if preview.source == "json" and preview.ok:
        bundle = read_json(
            data, today=local_today(patient), known_symptoms=known, max_bytes=MAX_UPLOAD_BYTES
        ).bundle
    return preview, bundle


@methods("GET", "POST")
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    purge_pending_uploads(timezone.now())
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        _discard(request, patient)
        token = secrets.token_urlsafe(16)
        folder = _pending_dir(patient)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / token).write_bytes(data)
        request.session[SESSION_KEY] = {
            "token": token,
            "format": form.cleaned_data["format"],
            "name": upload.name[:200],
        }
        return redirect("journal:import_preview")
    return render(
        request, "journal/import.html", {"form": form, "max_mb": MAX_UPLOAD_BYTES // 2**20}
    )


@methods("GET")
@login_required
def import_preview(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    found = _pending(request, patient)
    if found is None:
        messages.error(request, "That upload has expired or was already saved. Upload it again.")
        return redirect("journal:import")
    pending, data = found
    preview, bundle = _parse(patient, pending["format"], data)
    applied, refusal = _apply(patient, preview, bundle, dry_run=True)
    if refusal:
        preview = _refused(preview, refusal)
    return render(
        request,
        "journal/import_preview.html",
        {
            "preview": preview,
            "name": pending["name"],
            "found": LABELS.get(preview.source),
            "applied": applied,
            "bundle": bundle,
        },
    )


@methods("POST")
@login_required
def import_confirm(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    found = _pending(request, patient)
    if found is None:
        messages.error(
            request, "That import has expired or was already saved. Upload the file again."
        )
        return redirect("journal:import")
    pending, data = found
    preview, bundle = _parse(patient, pending["format"], data)
    applied, _ = _apply(patient, preview, bundle, dry_run=False)
    if applied is None:
        return redirect("journal:import_preview")  # it shows what is wrong
    _discard(request, patient)
    request.session[RESULT_KEY] = _result(pending["name"], applied)
    return redirect("journal:import_result")


def _apply(
    patient: User, preview: ImportPreview, bundle: ExportBundle | None, *, dry_run: bool
) -> tuple[Applied | None, str]:
    """Apply (or try) a clean preview; a section the database or the core refuses comes back as
    the reason, with everything rolled back."""
    if not preview.ok:
        return None, ""
    try:
        return apply_import(patient, preview, bundle, by=patient, dry_run=dry_run), ""
    except ValidationError as exc:
        return None, "; ".join(exc.messages)
    except (DatabaseError, ValueError) as exc:
        return None, str(exc)


def _refused(preview: ImportPreview, reason: str) -> ImportPreview:
    problem = ImportProblem(0, "", "cannot_store", f"the file cannot be stored: {reason}"[:500])
    return replace(preview, problems=(*preview.problems, problem))


def _result(name: str, applied: Applied) -> dict[str, object]:
    r = applied.result
    return {
        "name": name,
        "created": r.created,
        "updated": r.updated,
        "unchanged": r.unchanged,
        "new_symptoms": list(r.new_symptoms),
        "sections_changed": applied.sections_changed,
        "notes": list(applied.notes),
    }


@methods("GET")
@login_required
def import_result(request: HttpRequest) -> HttpResponse:
    access.patient_of(request)
    result = request.session.get(RESULT_KEY)
    if result is None:
        return redirect("journal:import")
    return render(request, "journal/import_result.html", {"result": result})


@methods("GET")
@login_required
def export_zip(request: HttpRequest) -> HttpResponse:
    patient = access.patient_of(request)
    bundle = export_bundle(patient)
    symptoms = [s["name"] for s in bundle.symptoms]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ldn-companion-export.json", write_json(bundle))
        archive.writestr("journal.csv", write_csv(bundle.days, symptoms))
    stamp = local_today(patient).isoformat()
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="ldn-companion-{stamp}.zip"'
    return response
