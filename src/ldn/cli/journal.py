"""`ldn journal import|export|stats`: a stored patient's journal from the terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ldn.web.accounts.models import User

from ldn.cli.main import app, fail
from ldn.cli.server import setup_django

journal_app = typer.Typer(help="Import, export and summarise a patient's journal.")
app.add_typer(journal_app, name="journal")

IMPORT_FORMATS = ("ours", "flaredown", "bearable", "json")


def _patient(username: str) -> User:
    from ldn.web.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        fail(f"no user called {username!r}")
    if not user.is_patient:
        fail(f"{username!r} is a clinician account; only patients have a journal")
    return user


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() or done == total:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


@journal_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="The file to import.")],
    user: Annotated[str, typer.Option("--user", help="The patient's username.")],
    format: Annotated[
        str, typer.Option("--format", help="ours, flaredown, bearable or json.")
    ] = "ours",
) -> None:
    """Import a journal file all-or-nothing; re-importing the same file adds nothing.

    Example: ldn journal import flaredown-export.csv --user demo --format flaredown
    """
    if format not in IMPORT_FORMATS:
        fail(f"--format must be one of {', '.join(IMPORT_FORMATS)}, got {format!r}")
    if not file.is_file():
        fail(f"no file at {file}")
    setup_django()
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError

    from ldn.interop import parse_import, read_json
    from ldn.web.accounts.clock import local_today
    from ldn.web.journal.bundle import apply_import
    from ldn.web.journal.models import Symptom

    patient = _patient(user)
    known = list(Symptom.objects.filter(patient=patient).values_list("name", flat=True))
    preview = parse_import(
        format,
        file.read_bytes(),
        today=local_today(patient),
        known_symptoms=known,
        on_progress=_progress,
    )
    if preview.mapping is not None:
        pairs = ", ".join(f"{a}→{b}" for a, b in preview.mapping.table.items())
        typer.echo(f"Scale: {preview.mapping.rule} ({pairs})")
    for problem in preview.problems:
        where = f"row {problem.row}" if problem.row else "file"
        column = f", column {problem.column!r}" if problem.column else ""
        typer.echo(f"{problem.severity}: {where}{column}: {problem.message}", err=True)
    if not preview.ok:
        fail(f"{len(preview.errors)} problem(s) found; nothing was imported")
    bundle = None
    if format == "json":  # a complete export also restores plans, medications, questionnaires...
        bundle = read_json(
            file.read_bytes(), today=local_today(patient), known_symptoms=known
        ).bundle
    try:
        result = apply_import(patient, preview, bundle, by=patient).result
    except (ValidationError, DatabaseError, ValueError) as exc:
        fail(f"nothing was imported: the file cannot be stored ({exc})")
    typer.echo(
        f"Imported {file.name}: {result.created} new days, {result.updated} updated, "
        f"{result.unchanged} unchanged"
        + (f"; new symptoms: {', '.join(result.new_symptoms)}" if result.new_symptoms else "")
    )


@journal_app.command("export")
def export_command(
    user: Annotated[str, typer.Option("--user", help="The patient's username.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the file.")],
    format: Annotated[str, typer.Option("--format", help="csv or json.")] = "json",
) -> None:
    """Export a patient's journal as our CSV or a complete JSON export.

    Example: ldn journal export --user demo --format csv --out demo.csv
    """
    if format not in ("csv", "json"):
        fail(f"--format must be csv or json, got {format!r}")
    setup_django()
    from ldn.interop import write_csv, write_json
    from ldn.web.journal.bundle import export_bundle

    bundle = export_bundle(_patient(user))
    if format == "json":
        text = write_json(bundle)
    else:
        text = write_csv(bundle.days, [s["name"] for s in bundle.symptoms])
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror}")
    typer.echo(f"Wrote {len(bundle.days)} days to {out}")


@journal_app.command("stats")
def stats_command(
    user: Annotated[str, typer.Option("--user", help="The patient's username.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Summarise a patient's journal: days, symptoms, doses.

    Example: ldn journal stats --user demo
    """
    setup_django()
    import datetime as dt

    from ldn.web.accounts.clock import local_today
    from ldn.web.journal.stats import journal_stats
    from ldn.web.therapy.plans import adherence_of

    patient = _patient(user)
    yesterday = local_today(patient) - dt.timedelta(days=1)
    stats = journal_stats(patient, adherence_of(patient, yesterday))
    if as_json:
        typer.echo(json.dumps(stats, indent=2, default=str))
        return
    typer.echo(f"Days recorded: {stats['days']} ({stats['first_day']} to {stats['last_day']})")
    typer.echo(
        f"LDN doses up to last night: {stats['doses_taken']} taken of {stats['doses_due']} due,"
        f" {stats['doses_missed']} missed, {stats['doses_not_logged']} not logged"
        + (f" ({stats['adherence_pct']:.0f}% taken)" if stats["adherence_pct"] is not None else "")
    )
    for s in stats["symptoms"]:
        mean = "–" if s["mean"] is None else f"{s['mean']:.1f}"
        typer.echo(f"  {s['name']}: {s['ratings']} ratings, mean {mean}/10")
