"""`ldn screen`, `ldn plan` and `ldn liquid`: safety screening, titration plans, liquid LDN."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from ldn.cli.main import app, fail
from ldn.dosing import (
    DoseError,
    DoseNeedsConfirmation,
    LiquidError,
    PlanError,
    build_calendar,
    dose_rule,
    liquid_dose,
    parse_time,
    plan_from_steps,
    plan_title,
    template,
    templates,
    zone,
)
from ldn.safety import screen as run_screen

_MARK = {
    "contraindicated": "CONTRAINDICATED",
    "warning": "WARNING",
    "information": "INFO",
    "not_screened": "NOT SCREENED",
}


@app.command()
def screen(
    medications: Annotated[
        list[str] | None,
        typer.Argument(
            help="Medication names, brands or products; add the pack's active ingredients "
            "after 'contains:' when a name is not recognised."
        ),
    ] = None,
    condition: Annotated[
        list[str] | None,
        typer.Option("--condition", "-c", help="A condition to screen (repeatable)."),
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list of findings."),
) -> None:
    """Screen medications and conditions against LDN.

    Exit codes: 0 every entry recognised and nothing contraindicated; 2 something is
    contraindicated; 3 nothing contraindicated but something was not screened (ask a pharmacist).

    Example: ldn screen "Percocet 5/325" "Zaldiar contains: tramadol, paracetamol" -c "planned surgery"
    """
    meds = [m for m in (medications or []) if m.strip()]
    conds = [c for c in (condition or []) if c.strip()]
    if not meds and not conds:
        fail("give at least one medication or --condition to screen")
    result = run_screen(meds, conds)
    if as_json:
        typer.echo(json.dumps([f.as_dict() for f in result.findings], indent=2))
    else:
        for line in result.summary():
            typer.echo(line)
        typer.echo("")
        for f in result.by_severity():
            typer.echo(
                f"[{_MARK[f.severity]}] {f.input}"
                + (f"  (read as: {f.matched})" if f.matched else "")
            )
            typer.echo(f"    {f.message}")
            typer.echo(f"    What to do: {f.action}")
            if f.references:
                typer.echo(f"    Sources: {len(f.references)} (use --json to list them)")
    if result.exit_code:
        raise typer.Exit(result.exit_code)


@app.command()
def plan(
    template_name: str = typer.Option(None, "--template", help="A cited template name."),
    steps: str = typer.Option(None, "--steps", help='Custom steps, e.g. "1.5@0,3@14,4.5@28".'),
    start: str = typer.Option(None, "--start", help="First dose date YYYY-MM-DD (default today)."),
    at: str = typer.Option("22:00", "--at", help="Bedtime HH:MM for reminders."),
    tz: str = typer.Option("UTC", "--tz", help="IANA time zone, e.g. Europe/Berlin."),
    ics: Annotated[Path | None, typer.Option("--ics", help="Write an iCalendar file here.")] = None,
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
    confirm_high_dose: bool = typer.Option(
        False,
        "--confirm-high-dose",
        help="Accept steps above the usual LDN range (0.5 to 4.5 mg); above 50 mg is refused.",
    ),
) -> None:
    """Show a titration plan from a template or custom steps, optionally as an .ics calendar.

    A step above the usual LDN range needs --confirm-high-dose; a step above 50 mg is refused.

    Example: ldn plan --steps "1.5@0,3@14,4.5@28" --at 22:00 --tz Europe/Berlin --ics plan.ics
    """
    if (template_name is None) == (steps is None):
        fail(f"give exactly one of --template or --steps; templates: {', '.join(templates())}")
    try:
        tzinfo = zone(tz)
        bedtime = parse_time(at)
        first = date.fromisoformat(start) if start else datetime.now(tzinfo).date()
        if template_name is not None:
            tpl = template(template_name)
            the_plan = tpl.plan(first)
            cited = [r.citation() for r in tpl.references]
        else:
            the_plan = plan_from_steps(steps, first)
            cited = []
        dose_rule(
            [s.dose_mg for s in the_plan.steps], confirmed=confirm_high_dose, parameter="steps"
        )
        feed = None
        if ics is not None:
            feed = build_calendar(the_plan, bedtime, tz, now=datetime.now(UTC))
            ics.write_bytes(feed.ics)
    except DoseError as exc:
        fail(f"{exc} Add --confirm-high-dose to accept it." if _unconfirmed(exc) else str(exc))
    except (PlanError, ValueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {ics}: {exc.strerror}")
    rows = [
        {
            "dose_mg": s.dose_mg,
            "from_day": s.from_day,
            "to_day": s.to_day,
            "first_date": a.isoformat(),
            "last_date": b.isoformat() if b else None,
        }
        for s, a, b in the_plan.segments()
    ]
    if as_json:
        out = {
            "name": the_plan.name,
            "start": the_plan.start.isoformat(),
            "at": bedtime.strftime("%H:%M"),
            "tz": tz,
            "steps": rows,
            "warnings": list(the_plan.warnings),
            "references": cited,
            "ics": str(ics) if ics else None,
        }
        typer.echo(json.dumps(out, indent=2))
        return
    typer.echo(f"Plan: {plan_title(the_plan.name)}, starting {the_plan.start} at {at} ({tz}):")
    for r in rows:
        until = r["last_date"] or "until changed"
        typer.echo(f"  {r['dose_mg']:g} mg nightly  {r['first_date']} .. {until}")
    for w in the_plan.warnings:
        typer.echo(f"  Warning: {w}")
    for c in cited:
        typer.echo(f"  Source: {c}")
    if feed is not None:
        typer.echo(f"Wrote {feed.events} reminder event(s) to {ics}")


@app.command()
def liquid(
    tablet_mg: float = typer.Option(..., "--tablet-mg", help="Tablet strength in mg."),
    water_ml: float = typer.Option(..., "--water-ml", help="Water volume in ml."),
    dose_mg: float = typer.Option(..., "--dose-mg", help="Prescribed dose in mg."),
    syringe_ml: float = typer.Option(0.1, "--syringe-ml", help="Syringe graduation in ml."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    confirm_high_dose: bool = typer.Option(
        False,
        "--confirm-high-dose",
        help="Accept a dose above the usual LDN range (0.5 to 4.5 mg); above 50 mg is refused.",
    ),
) -> None:
    """Liquid LDN: concentration, volume to draw (rounded to the syringe), error, storage.

    A dose above the usual LDN range needs --confirm-high-dose; above 50 mg is refused. A
    rounding error over 5% is flagged with a syringe or water volume that brings it under.

    Example: ldn liquid --tablet-mg 50 --water-ml 50 --dose-mg 4.5
    """
    try:
        dose_rule([dose_mg], confirmed=confirm_high_dose)
        r = liquid_dose(tablet_mg, water_ml, dose_mg, syringe_resolution_ml=syringe_ml)
    except DoseError as exc:
        fail(f"{exc} Add --confirm-high-dose to accept it." if _unconfirmed(exc) else str(exc))
    except LiquidError as exc:
        fail(str(exc))
    if as_json:
        data = {
            "concentration_mg_per_ml": r.concentration_mg_per_ml,
            "exact_volume_ml": r.exact_volume_ml,
            "volume_ml": r.volume_ml,
            "actual_dose_mg": r.actual_dose_mg,
            "error_percent": r.error_percent,
            "below_resolution": r.below_resolution,
            "flagged": r.flagged,
            "suggestions": [x.text() for x in r.suggestions],
            "storage": r.storage.guidance,
            "storage_references": [x.citation() for x in r.storage.references],
        }
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(f"Concentration: {r.concentration_mg_per_ml:.4g} mg/ml")
    typer.echo(
        f"Draw: {r.volume_ml:.{_decimals(syringe_ml)}f} ml (exact {r.exact_volume_ml:.4g} ml)"
    )
    typer.echo(f"Dose delivered: {r.actual_dose_mg:.4g} mg ({r.error_percent:+.2f}% vs prescribed)")
    if r.below_resolution:
        typer.echo("Warning: the dose is smaller than half a syringe mark; use more water.")
    elif r.flagged:
        typer.echo(f"Warning: the rounding error is over {r.flag_above_percent:g}% (our limit).")
        for x in r.suggestions:
            typer.echo(f"  {x.text()}")
    typer.echo(f"Storage: {r.storage.guidance}")
    for ref in r.storage.references:
        typer.echo(f"  Source: {ref.citation()}")


def _unconfirmed(exc: DoseError) -> bool:
    return isinstance(exc, DoseNeedsConfirmation)


def _decimals(step: float) -> int:
    text = f"{step:g}"
    return len(text.split(".")[1]) if "." in text else 0
