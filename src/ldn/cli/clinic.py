"""`ldn report`: the visit report of one patient as a PDF, for a date range."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ldn.cli.main import app, fail
from ldn.cli.server import setup_django


def _date(raw: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        fail(f"{option} must be a date as YYYY-MM-DD, got {raw!r}")
        raise  # unreachable: fail exits


@app.command("report")
def report_command(
    user: Annotated[str, typer.Option("--user", help="The patient's username.")],
    start: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option("--out", help="The PDF file to write.")],
) -> None:
    """Write a patient's visit report (symptoms, doses, adherence, side effects, questionnaires,
    screening, analysis verdicts, their questions) as a PDF.

    Example: ldn report --user demo --from 2026-05-01 --to 2026-10-31 --out visit.pdf
    """
    first, last = _date(start, "--from"), _date(end, "--to")
    if last < first:
        fail(f"--to must not be before --from ({first}), got {last}")
    if out.suffix.lower() != ".pdf":
        fail(f"--out must name a .pdf file, got {str(out)!r}")
    if not out.parent.exists():
        fail(f"the folder {str(out.parent)!r} does not exist")
    setup_django()
    from ldn.web.accounts.models import Share, User
    from ldn.web.clinic import report

    patient = User.objects.filter(username=user, role=User.Role.PATIENT).first()
    if patient is None:
        fail(f"no patient with the username {user!r}")
    built = report.build(patient, first, last, areas=set(Share.all_areas()))
    pdf, pages = report.render_pdf(built)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        fail(f"cannot write {str(out)!r}: {exc.strerror}")
    if built.asked_start is not None:
        typer.echo(f"A report covers at most one year: this one covers {built.start} to {last}.")
    typer.echo(
        f"Wrote {out} ({pages} page{'s' if pages != 1 else ''}, {built.start} to {built.end})."
    )
