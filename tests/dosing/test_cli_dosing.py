"""`ldn plan` and `ldn liquid` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from icalendar import Calendar
from typer.testing import CliRunner

from ldn.cli import app

runner = CliRunner()


def test_plan_writes_a_parseable_ics(tmp_path: Path) -> None:
    out = tmp_path / "p.ics"
    res = runner.invoke(
        app,
        [
            "plan",
            "--steps",
            "1.5@0,3@14,4.5@28",
            "--start",
            "2025-03-20",
            "--at",
            "22:00",
            "--tz",
            "Europe/Berlin",
            "--ics",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["LDN 1.5 mg", "LDN 3 mg", "LDN 4.5 mg"]


def test_plan_template_json_carries_its_sources() -> None:
    res = runner.invoke(
        app, ["plan", "--template", "weekly-1.5", "--start", "2025-03-20", "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [s["dose_mg"] for s in data["steps"]] == [1.5, 3.0, 4.5]
    assert data["references"]


def test_plan_errors_are_one_line_without_traceback() -> None:
    res = runner.invoke(app, ["plan", "--steps", "1.5@0,75@14", "--start", "2025-03-20"])
    assert res.exit_code == 1
    assert res.stderr.strip() == "Error: dose_mg must be between 0.1 and 50, got 75"
    res = runner.invoke(app, ["plan", "--steps", "1.5@0", "--tz", "Nowhere/City"])
    assert res.exit_code == 1 and "tz must be an IANA time zone" in res.stderr


def test_liquid_prints_volume_and_error() -> None:
    # 50 mg / 35 ml, 4.5 mg -> 3.15 ml -> 3.2 ml -> 4.5714 mg (+1.59 %).
    res = runner.invoke(
        app, ["liquid", "--tablet-mg", "50", "--water-ml", "35", "--dose-mg", "4.5"]
    )
    assert res.exit_code == 0, res.output
    assert "Draw: 3.2 ml" in res.stdout
    assert "+1.59%" in res.stdout


def test_liquid_zero_water_is_an_error() -> None:
    res = runner.invoke(app, ["liquid", "--tablet-mg", "50", "--water-ml", "0", "--dose-mg", "4.5"])
    assert res.exit_code == 1
    assert res.stderr.strip() == "Error: water_ml must be greater than 0, got 0"
