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
        set(r)
        == {"input", "matched", "rule", "severity", "message", "action", "references", "screened"}
        for r in rows
    )


def test_screen_exits_0_when_everything_is_recognised_and_nothing_contraindicated() -> None:
    res = runner.invoke(app, ["screen", "ibuprofen", "--condition", "Hashimoto's"])
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0] == "All 2 entries screened: no contraindication found."


def test_screen_exits_3_and_leads_with_not_screened_when_something_is_unknown() -> None:
    res = runner.invoke(app, ["screen", "vitamin D", "foo"])
    assert res.exit_code == 3
    lines = res.stdout.splitlines()
    assert lines[0] == "1 not screened — ask a pharmacist: foo"
    assert lines[1] == "No contraindication found among what was screened."
    assert "no contraindication found" not in lines[0]


def test_screen_exits_2_when_a_contraindication_and_an_unknown_are_both_present() -> None:
    res = runner.invoke(app, ["screen", "Zaldiar", "vitamin D", "foo"])
    assert res.exit_code == 2
    lines = res.stdout.splitlines()
    assert lines[:2] == [
        "1 not screened — ask a pharmacist: foo",
        "1 contraindicated with LDN: Zaldiar",
    ]
    assert "[CONTRAINDICATED] Zaldiar  (read as: ZALDIAR (FR, NL register) -> tramadol)" in lines


def test_screen_exits_3_when_nothing_at_all_is_recognised() -> None:
    res = runner.invoke(app, ["screen", "foo", "blorbex"])
    assert res.exit_code == 3
    assert res.stdout.splitlines()[0] == "2 not screened — ask a pharmacist: foo, blorbex"


def test_screen_reads_the_ingredients_after_contains() -> None:
    res = runner.invoke(app, ["screen", "Blorbex contains: codeine, paracetamol", "--json"])
    assert res.exit_code == 2
    rows = json.loads(res.stdout)
    assert [(r["rule"], r["severity"]) for r in rows] == [
        ("OPIOID_AGONIST", "contraindicated"),
        ("NO_LISTED_INTERACTION", "information"),
    ]


def test_screen_says_closest_match_in_plain_words_not_a_score() -> None:
    res = runner.invoke(app, ["screen", "oxycodne"])
    assert "closest match: oxycodone (spelling looks close)" in res.stdout
    assert "fuzzy" not in res.stdout


def test_screen_conditions_only_and_empty_call() -> None:
    res = runner.invoke(app, ["screen", "--condition", "acute hepatitis", "--json"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["screen"])
    assert res.exit_code == 1
    assert "Error:" in res.stderr
