from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ldn.cli import app
from ldn.pharmacology import PharmacologyError, simulate


def test_it_refuses_a_dose_above_50_mg() -> None:
    with pytest.raises(PharmacologyError, match="dose_mg must be above 0 and at most 50, got 75"):
        simulate(75)


def test_population_band_brackets_the_median() -> None:
    r = simulate(4.5, population=500, seed=3)
    b = r.series["mu_occupancy"]
    assert (b.p5 <= b.median).all() and (b.median <= b.p95).all()
    s = r.summary["naltrexone_cmax_ng_ml"]
    assert s.p5 < s.median < s.p95


def test_cli_json_has_the_documented_shape() -> None:
    res = CliRunner().invoke(app, ["simulate", "--dose", "4.5", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {"dose_mg", "days", "population", "summary", "series"} <= set(data)
    assert set(data["series"][0]) == {"t_h", "naltrexone_ng_ml", "naltrexol_ng_ml", "mu_occupancy"}
    assert data["series"][0]["t_h"] == 0.0 and 0 <= data["summary"]["mu_occupancy_peak"] <= 1


def test_cli_population_summary_values_are_bands() -> None:
    res = CliRunner().invoke(app, ["simulate", "--dose", "4.5", "--population", "200", "--json"])
    data = json.loads(res.stdout)
    assert set(data["summary"]["naltrexone_cmax_ng_ml"]) == {"median", "p5", "p95"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--dose", "0"], "dose_mg must be above 0"),
        (["--dose", "60"], "at most 50"),
        (["--dose", "4.5", "--at", "24:10"], "--at must be"),
        (["--dose", "4.5", "--population", "1000001"], "at most 1,000,000"),
    ],
)
def test_cli_bad_input_is_one_error_line_and_nonzero_exit(args: list[str], message: str) -> None:
    res = CliRunner().invoke(app, ["simulate", *args])
    assert res.exit_code != 0
    assert message in res.output and "Traceback" not in res.output


def test_cli_csv_and_plot(tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    csv_out = runner.invoke(app, ["simulate", "--dose", "1.5", "--csv"])
    assert csv_out.stdout.splitlines()[0] == "t_h,naltrexone_ng_ml,naltrexol_ng_ml,mu_occupancy"
    png = tmp_path / "s.png"
    res = runner.invoke(
        app, ["simulate", "--dose", "4.5", "--population", "50", "--plot", str(png)]
    )
    assert res.exit_code == 0 and png.read_bytes()[:4] == b"\x89PNG"
