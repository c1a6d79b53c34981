"""`ldn fhir export`: a patient's record as a FHIR R4 Bundle (JSON)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ldn.cli.main import app, fail
from ldn.cli.server import setup_django

fhir_app = typer.Typer(help="FHIR R4 export for electronic health records.")
app.add_typer(fhir_app, name="fhir")


def _date(raw: str | None, option: str) -> dt.date | None:
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        fail(f"{option} must be a date as YYYY-MM-DD, got {raw!r}")


@fhir_app.command("export")
def fhir_export(
    user: Annotated[str, typer.Option("--user", help="The patient's username.")],
    out: Annotated[Path, typer.Option("--out", help="The JSON file to write.")],
    start: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
) -> None:
    """Write a patient's whole record (or the days --from/--to) as a FHIR R4 Bundle: Patient,
    Condition, MedicationStatement, MedicationRequest (the LDN plan), MedicationAdministration
    (nightly doses), Observation (symptom scores, sleep, questionnaire totals),
    QuestionnaireResponse (PHQ-9, GAD-7), AdverseEvent (side effects), DetectedIssue
    (contraindications). Prints the number of resources of each type.

    Example: ldn fhir export --user demo --out demo-fhir.json
    """
    first, last = _date(start, "--from"), _date(end, "--to")
    if first and last and last < first:
        fail(f"--to must not be before --from ({first}), got {last}")
    if out.suffix.lower() != ".json":
        fail(f"--out must name a .json file, got {str(out)!r}")
    if not out.parent.exists():
        fail(f"the folder {str(out.parent)!r} does not exist")
    setup_django()
    from ldn.interop.fhir import FhirError, build_bundle, resource_counts
    from ldn.web.accounts.models import Share, User
    from ldn.web.clinic.fhir_export import gather

    patient = User.objects.filter(username=user, role=User.Role.PATIENT).first()
    if patient is None:
        fail(f"no patient with the username {user!r}")
    try:
        bundle = build_bundle(gather(patient, set(Share.all_areas()), first, last))
    except FhirError as exc:
        fail(str(exc))
    import json

    try:
        out.write_text(json.dumps(bundle, indent=1), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {str(out)!r}: {exc.strerror}")
    counts = resource_counts(bundle)
    typer.echo(f"Wrote {out}: a FHIR R4 Bundle of {sum(counts.values())} resources.")
    for kind, n in counts.items():
        typer.echo(f"  {kind}: {n}")
