"""`ldn analyze`: is LDN working for me? Before/after per symptom from a CSV diary (or a stored user).

The web app plugs its database in by setting `USER_LOADER` (a function from a user name to a
`DailySeries`); the analysis and the output are the same for both sources. The statistics
libraries are imported inside the command so that `ldn` itself starts quickly.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldn.cli.main import app, fail

if TYPE_CHECKING:
    from ldn.analysis import DailySeries

USER_LOADER: Callable[[str], DailySeries] | None = None


def _install_database_loader() -> None:
    """Set USER_LOADER to the web app's loader; Django is imported only when --user is used."""
    global USER_LOADER
    from ldn.cli.server import setup_django

    setup_django()
    from ldn.web.insights.loader import series_for_username

    USER_LOADER = series_for_username


@app.command()
def analyze(
    file: Annotated[
        Path | None,
        typer.Argument(help="Diary CSV: date, ldn_dose_mg, one 0-10 column per symptom."),
    ] = None,
    baseline_end: Annotated[
        str | None, typer.Option("--baseline-end", help="Last baseline day (YYYY-MM-DD).")
    ] = None,
    exclude_weeks: Annotated[
        int,
        typer.Option("--exclude-weeks", help="Ignore the first N weeks on LDN (delayed onset)."),
    ] = 0,
    mcid: Annotated[
        float | None,
        typer.Option(
            "--mcid", help="Minimal important change in points (default: per scale, cited)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of sentences.")
    ] = False,
    user: Annotated[
        str | None, typer.Option("--user", help="Analyse a stored patient instead of a file.")
    ] = None,
) -> None:
    """Is LDN working for me? Change per symptom on LDN versus baseline, honest about uncertainty.

    Example: ldn analyze diary.csv --exclude-weeks 2 --json
    """
    from ldn.analysis import AnalysisInputError
    from ldn.analysis.report_io import load_csv, render_text, report_to_json, run_report

    try:
        end = None
        if baseline_end is not None:
            try:
                end = dt.date.fromisoformat(baseline_end)
            except ValueError:
                raise AnalysisInputError(
                    f"--baseline-end must be a date YYYY-MM-DD, got {baseline_end!r}"
                ) from None
        if user is not None:
            if USER_LOADER is None:
                _install_database_loader()
            assert USER_LOADER is not None
            series = USER_LOADER(user)
        elif file is None:
            fail("give a diary FILE.csv or --user NAME")
        else:
            series = load_csv(file)
        report = run_report(series, end, exclude_weeks, mcid)
    except AnalysisInputError as exc:
        fail(str(exc))
    typer.echo(json.dumps(report_to_json(report), indent=2) if as_json else render_text(report))
