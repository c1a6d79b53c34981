"""`ldn simulate`: naltrexone, 6beta-naltrexol and mu occupancy after nightly doses."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import time
from typing import Any

import typer

from ldn.cli.main import app, fail
from ldn.pharmacology import MAX_POPULATION, PharmacologyError, SimulationResult, simulate

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _parse_time(text: str) -> time:
    m = _TIME.match(text.strip())
    if not m:
        fail(f"--at must be a 24-hour time HH:MM, got {text!r}")
    return time(int(m.group(1)), int(m.group(2)))


def _summary(result: SimulationResult) -> dict[str, Any]:
    if result.population == 1:
        return {k: round(v.median, 4) for k, v in result.summary.items()}
    return {
        k: {"median": round(v.median, 4), "p5": round(v.p5, 4), "p95": round(v.p95, 4)}
        for k, v in result.summary.items()
    }


def _rows(result: SimulationResult, every: int) -> list[dict[str, Any]]:
    s = result.series
    rows = []
    for i in range(0, len(result.t_h), every):
        row: dict[str, Any] = {
            "t_h": round(float(result.t_h[i]), 4),
            "naltrexone_ng_ml": round(float(s["naltrexone"].median[i]), 5),
            "naltrexol_ng_ml": round(float(s["naltrexol"].median[i]), 5),
            "mu_occupancy": round(float(s["mu_occupancy"].median[i]), 5),
        }
        if result.population > 1:
            for key, name in (
                ("naltrexone_ng_ml", "naltrexone"),
                ("naltrexol_ng_ml", "naltrexol"),
                ("mu_occupancy", "mu_occupancy"),
            ):
                row[f"{key}_p5"] = round(float(s[name].p5[i]), 5)
                row[f"{key}_p95"] = round(float(s[name].p95[i]), 5)
        rows.append(row)
    return rows


def _plot(result: SimulationResult, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = result.t_h
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 6.5), sharex=True)
    night = (result.clock_h >= 22.0) | (result.clock_h < 7.0)
    for ax in (ax1, ax2):
        ax.fill_between(
            t,
            0,
            1,
            where=night,
            color="0.92",
            transform=ax.get_xaxis_transform(),
            label="night 22:00-07:00",
        )
    for name, colour, label in (
        ("naltrexone", "tab:blue", "naltrexone"),
        ("naltrexol", "tab:orange", "6β-naltrexol"),
    ):
        band = result.series[name]
        ax1.plot(t, band.median, color=colour, label=f"{label} (median)")
        if result.population > 1:
            ax1.fill_between(t, band.p5, band.p95, color=colour, alpha=0.2, label=f"{label} 5–95%")
    ax1.set_yscale("log")
    ax1.set_ylim(bottom=max(1e-3, float(result.series["naltrexone"].median.max()) * 1e-3))
    ax1.set_ylabel("plasma ng/mL (log)")
    ax1.legend(fontsize=8, loc="upper right")
    occ = result.series["mu_occupancy"]
    ax2.plot(t, occ.median * 100, color="tab:green", label="mu occupancy (median)")
    if result.population > 1:
        ax2.fill_between(
            t, occ.p5 * 100, occ.p95 * 100, color="tab:green", alpha=0.2, label="5–95%"
        )
    ax2.set_ylim(0, 100)
    ax2.set_ylabel("brain mu-receptor occupancy %")
    ax2.set_xlabel(f"hours after the first dose ({result.schedule.first_dose_at:%H:%M})")
    ax2.legend(fontsize=8, loc="upper right")
    fig.suptitle(
        f"Naltrexone {result.dose_mg:g} mg nightly, model prediction "
        f"(population {result.population:,})"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


@app.command("simulate")
def simulate_command(
    dose: float = typer.Option(..., "--dose", help="Dose in mg, above 0 and at most 50."),
    at: str = typer.Option("22:00", "--at", help="Local time of the nightly dose, HH:MM."),
    days: int = typer.Option(1, "--days", help="How many days are simulated."),
    doses: int = typer.Option(
        None, "--doses", help="Nightly doses from the start (default: one a day)."
    ),
    population: int = typer.Option(
        1, "--population", help="Virtual patients (1 = typical patient)."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed for the virtual patients."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the time series as CSV."),
    plot: str = typer.Option(None, "--plot", help="Write a PNG chart to this file."),
) -> None:
    """Model plasma naltrexone, 6β-naltrexol and brain mu-receptor occupancy over time.

    Example: ldn simulate --dose 4.5 --at 22:00 --days 2 --population 10000 --json
    """
    clock = _parse_time(at)
    if population > MAX_POPULATION:
        fail(f"--population must be at most {MAX_POPULATION:,}, got {population:,}")
    if sum([as_json, as_csv, plot is not None]) > 1:
        fail("choose one of --json, --csv or --plot")
    if plot is not None and not plot.lower().endswith(".png"):
        fail(f"--plot must name a .png file, got {plot!r}")
    step = 1.0 if population * days <= 20_000 else 10.0
    try:
        result = simulate(
            dose, days=days, doses=doses, at=clock, population=population, seed=seed, step_min=step
        )
    except PharmacologyError as exc:
        fail(str(exc))
    every = max(1, int(round(10.0 / step)))  # a point every 10 minutes in printed series
    if as_json:
        payload = {
            "dose_mg": dose,
            "days": days,
            "population": population,
            "summary": _summary(result),
            "series": _rows(result, every),
        }
        typer.echo(json.dumps(payload))
    elif as_csv:
        rows = _rows(result, every)
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buf.getvalue().rstrip("\n"))
    elif plot is not None:
        try:
            _plot(result, plot)
        except OSError as exc:
            fail(f"cannot write {plot}: {exc.strerror or exc}")
        typer.echo(f"Wrote {plot}")
    else:
        for key, value in _summary(result).items():
            typer.echo(f"{key}: {value}")
