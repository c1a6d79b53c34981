import json
import re

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ldn.analysis import Scenario, simulate_series
from ldn.cli import app

runner = CliRunner()


TREND = Scenario("t", trend_total=-1.0)


def _csv(tmp_path, scenario: Scenario = TREND):
    s = simulate_series(scenario, np.random.default_rng(0), symptoms=("pain", "fatigue"))
    frame = pd.DataFrame(
        {
            "date": [d.isoformat() for d in s.dates],
            "ldn_dose_mg": np.where(s.dose_mg > 0, s.dose_mg, np.nan),
            **s.scores,
        }
    )
    path = tmp_path / "diary.csv"
    frame.to_csv(path, index=False)
    return path


def test_json_has_exactly_the_documented_shape(tmp_path) -> None:
    result = runner.invoke(app, ["analyze", str(_csv(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"symptoms", "method"}
    keys = {
        "symptom",
        "n_baseline",
        "n_treatment",
        "effect",
        "ci_low",
        "ci_high",
        "p_improvement_mcid",
        "verdict",
        "interval_level",
        "trend_adjusted",
        "when_will_i_know",
    }
    assert [set(s) for s in data["symptoms"]] == [keys, keys]
    know = data["symptoms"][0]["when_will_i_know"]
    assert [c["points"] for c in know["changes"]] == [1.0, 2.0]
    assert set(know["changes"][0]) == {
        "points",
        "date",
        "settled_days",
        "limited_by_baseline",
        "baseline_weeks_needed",
        "sentence",
    }
    assert {s["verdict"] for s in data["symptoms"]} <= {
        "too_little_data",
        "no_clear_change",
        "likely_better",
        "likely_worse",
    }


def test_text_output_gives_the_patient_sentence(tmp_path) -> None:
    result = runner.invoke(
        app, ["analyze", str(_csv(tmp_path)), "--exclude-weeks", "2", "--mcid", "1.5"]
    )
    assert result.exit_code == 0 and "pain:" in result.stdout and "Method:" in result.stdout


def test_a_decided_verdict_is_not_followed_by_a_forecast_that_says_it_cannot_be_seen(tmp_path):
    """The CLI says what the dashboard says: once the before/after answers, "already clear"."""
    clear = Scenario("clear", effect=-3.0, dose_days=56)
    result = runner.invoke(app, ["analyze", str(_csv(tmp_path, clear))])
    assert result.exit_code == 0, result.output
    body = result.stdout.split("\n\nMethod:")[0]
    blocks = re.split(r"\n(?=\w+: )", body.split("\n\n", 1)[1])
    decided = [b for b in blocks if b.split("\n")[0].endswith("likely better")]
    assert decided, result.stdout
    for block in decided:
        assert "When will I know? Already clear: likely better." in block
        assert "4 times in 5" not in block


def test_malformed_file_is_one_line_error(tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,ldn_dose_mg,pain\n2024-01-01,,five\n")
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 1 and result.stderr.startswith("Error: pain must be a number")
    assert "Traceback" not in result.output


def test_missing_file_and_missing_columns_are_clear_errors(tmp_path) -> None:
    assert "FILE must exist" in runner.invoke(app, ["analyze", str(tmp_path / "no.csv")]).stderr
    path = tmp_path / "cols.csv"
    path.write_text("day,pain\n2024-01-01,3\n")
    assert "must have a 'date' column" in runner.invoke(app, ["analyze", str(path)]).stderr


def test_no_ldn_days_no_baseline_and_too_few_days_are_errors(tmp_path) -> None:
    path = tmp_path / "x.csv"
    days = pd.date_range("2024-01-01", periods=60).strftime("%Y-%m-%d")
    pd.DataFrame({"date": days, "ldn_dose_mg": 0, "pain": 4}).to_csv(path, index=False)
    assert "no LDN days" in runner.invoke(app, ["analyze", str(path)]).stderr
    pd.DataFrame({"date": days, "ldn_dose_mg": 1.5, "pain": 4}).to_csv(path, index=False)
    assert "a baseline" in runner.invoke(app, ["analyze", str(path)]).stderr
    pd.DataFrame({"date": days[:10], "ldn_dose_mg": [0] * 5 + [1] * 5, "pain": 4}).to_csv(
        path, index=False
    )
    assert "at least 28 days" in runner.invoke(app, ["analyze", str(path)]).stderr


def test_bad_baseline_end_and_user_without_database_are_errors(tmp_path) -> None:
    path = _csv(tmp_path)
    assert (
        "--baseline-end must be a date"
        in runner.invoke(app, ["analyze", str(path), "--baseline-end", "soon"]).stderr
    )
    ok = runner.invoke(app, ["analyze", str(path), "--baseline-end", "2024-01-10", "--json"])
    assert ok.exit_code == 0, ok.output


@pytest.mark.django_db
def test_user_mode_names_a_missing_patient_in_one_line() -> None:
    result = runner.invoke(app, ["analyze", "--user", "alice"])
    assert result.exit_code == 1
    assert result.stderr == "Error: --user must name a patient in the database, got 'alice'\n"


def test_our_journal_export_is_analysed_on_its_symptom_columns_only(tmp_path) -> None:
    plain = _csv(tmp_path)
    frame = pd.read_csv(plain)
    export = frame.rename(columns={"pain": "symptom:Pain", "fatigue": "symptom:Fatigue"})
    export.insert(2, "dose_status", ["taken" if d > 0 else "" for d in frame["ldn_dose_mg"]])
    export.insert(3, "sleep_hours", 7.5)
    path = tmp_path / "export.csv"
    export.to_csv(path, index=False)
    ours = json.loads(runner.invoke(app, ["analyze", str(path), "--json"]).output)
    reference = json.loads(runner.invoke(app, ["analyze", str(plain), "--json"]).output)
    assert [s["symptom"] for s in ours["symptoms"]] == ["Pain", "Fatigue"]
    assert [s["effect"] for s in ours["symptoms"]] == [s["effect"] for s in reference["symptoms"]]
