"""`ldn plan` and `ldn liquid` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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
    assert res.stderr.strip() == "Error: dose_mg must be between 0.1 and 50 mg, got 75"
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


HIGH = (
    "is above the usual LDN range of 0.5 to 4.5 mg (LDN Research Trust 2021). Check the dose "
    "(4.5 typed as 45?) and confirm it only if your prescriber ordered it. "
    "Add --confirm-high-dose to accept it."
)


@pytest.mark.parametrize(
    ("dose", "flag", "code", "error"),
    [
        ("4.5", [], 0, ""),
        ("4.6", [], 1, f"Error: 4.6 mg {HIGH}"),
        ("4.6", ["--confirm-high-dose"], 0, ""),
        ("50", [], 1, f"Error: 50 mg {HIGH}"),
        ("50", ["--confirm-high-dose"], 0, ""),
        (
            "50.1",
            ["--confirm-high-dose"],
            1,
            "Error: dose_mg must be between 0.1 and 50 mg, got 50.1",
        ),
    ],
)
def test_liquid_applies_the_dose_rule(dose, flag, code, error) -> None:
    res = runner.invoke(
        app, ["liquid", "--tablet-mg", "50", "--water-ml", "50", "--dose-mg", dose, *flag]
    )
    assert res.exit_code == code, res.output
    assert res.stderr.strip() == error


@pytest.mark.parametrize(
    ("step", "flag", "code", "error"),
    [
        ("4.5", [], 0, ""),
        ("4.6", [], 1, f"Error: 4.6 mg {HIGH}"),
        ("4.6", ["--confirm-high-dose"], 0, ""),
        ("50", [], 1, f"Error: 50 mg {HIGH}"),
        ("50", ["--confirm-high-dose"], 0, ""),
        (
            "50.1",
            ["--confirm-high-dose"],
            1,
            "Error: dose_mg must be between 0.1 and 50 mg, got 50.1",
        ),
    ],
)
def test_plan_applies_the_dose_rule(step, flag, code, error) -> None:
    res = runner.invoke(
        app, ["plan", "--steps", f"1.5@0,{step}@14", "--start", "2026-01-05", *flag]
    )
    assert res.exit_code == code, res.output
    assert res.stderr.strip() == error


def test_liquid_flags_a_rounding_error_over_5_percent_with_suggestions() -> None:
    res = runner.invoke(
        app,
        [
            "liquid",
            "--tablet-mg",
            "50",
            "--water-ml",
            "50",
            "--dose-mg",
            "0.75",
            "--syringe-ml",
            "0.5",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Draw: 1.0 ml" in res.stdout
    assert "Warning: the rounding error is over 5% (our limit)." in res.stdout
    assert "Use a syringe with 0.05 ml marks: draw 0.75 ml (+0.0%)." in res.stdout
