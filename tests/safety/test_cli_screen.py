"""`ldn screen` through Typer's CliRunner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ldn.cli import app

runner = CliRunner()


def test_screen_json_lists_every_finding_and_exits_2_on_a_contraindication() -> None:
    res = runner.invoke(
        app, ["screen", "Percocet 5/325", "ibuprofen", "Tylenol with codeine", "foo", "--json"]
    )
    assert res.exit_code == 2
    rows = json.loads(res.stdout)
    assert {r["input"] for r in rows} == {
        "Percocet 5/325",
        "ibuprofen",
        "Tylenol with codeine",
        "foo",
    }
    assert {r["severity"] for r in rows if r["input"] == "foo"} == {"not_screened"}
    assert all(
        set(r) == {"input", "matched", "rule", "severity", "message", "action", "references"}
        for r in rows
    )


def test_screen_exits_0_when_nothing_is_contraindicated() -> None:
    res = runner.invoke(app, ["screen", "ibuprofen", "--condition", "Hashimoto's"])
    assert res.exit_code == 0
    assert "no contraindication found" in res.stdout


def test_screen_conditions_only_and_empty_call() -> None:
    res = runner.invoke(app, ["screen", "--condition", "acute hepatitis", "--json"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["screen"])
    assert res.exit_code == 1
    assert "Error:" in res.stderr
