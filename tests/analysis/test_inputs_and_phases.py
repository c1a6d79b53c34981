import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ldn.analysis import AnalysisInputError, assign_phases, daily_series_from_frame, mcid_for


def _frame(n_base: int = 30, doses: tuple[float, ...] = (1.0,) * 7 + (3.0,) * 30) -> pd.DataFrame:
    days = pd.date_range("2024-03-01", periods=n_base + len(doses)).strftime("%Y-%m-%d")
    dose = [""] * n_base + [str(d) for d in doses]
    return pd.DataFrame({"date": days, "ldn_dose_mg": dose, "pain": ["5"] * len(days)})


def test_it_refuses_a_score_above_10() -> None:
    frame = _frame()
    frame.loc[3, "pain"] = "11"
    with pytest.raises(AnalysisInputError, match="pain scores must be between 0 and 10, got 11"):
        daily_series_from_frame(frame)


def test_it_refuses_a_date_that_is_not_iso() -> None:
    frame = _frame()
    frame.loc[2, "date"] = "03/03/2024"
    with pytest.raises(AnalysisInputError, match="date must be an ISO date"):
        daily_series_from_frame(frame)


def test_it_refuses_a_day_listed_twice() -> None:
    frame = _frame()
    frame.loc[2, "date"] = frame.loc[1, "date"]
    with pytest.raises(AnalysisInputError, match="once per day"):
        daily_series_from_frame(frame)


def test_it_reads_empty_cells_as_missing() -> None:
    frame = _frame()
    frame.loc[4, "pain"] = ""
    series = daily_series_from_frame(frame)
    assert np.isnan(series.scores["pain"][4]) and np.isnan(series.dose_mg[0])


def test_the_two_weeks_before_the_first_dose_are_run_in_not_baseline() -> None:
    plan = assign_phases(daily_series_from_frame(_frame()))
    labels = plan.labels
    assert labels[:16] == ("baseline",) * 16 and labels[16:30] == ("run_in",) * 14


def test_titration_ends_when_a_dose_is_held_for_three_weeks() -> None:
    plan = assign_phases(daily_series_from_frame(_frame()))
    assert plan.labels[30:37] == ("titration",) * 7
    assert plan.labels[37] == "dose_3mg" and plan.maintenance_start == dt.date(2024, 4, 7)


def test_the_first_weeks_can_be_set_aside_for_delayed_onset() -> None:
    plan = assign_phases(daily_series_from_frame(_frame()), exclude_weeks=2)
    assert plan.labels[37:44] == ("delayed_onset",) * 7 and plan.labels[44] == "dose_3mg"


def test_it_refuses_a_baseline_end_after_ldn_started() -> None:
    with pytest.raises(AnalysisInputError, match="baseline_end must be before the first LDN day"):
        assign_phases(daily_series_from_frame(_frame()), baseline_end=dt.date(2024, 5, 1))


def test_it_refuses_a_diary_without_ldn_days() -> None:
    with pytest.raises(AnalysisInputError, match="no LDN days"):
        assign_phases(daily_series_from_frame(_frame(doses=(0.0,) * 10)))


def test_it_refuses_a_diary_without_baseline() -> None:
    with pytest.raises(AnalysisInputError, match="a baseline"):
        assign_phases(daily_series_from_frame(_frame(n_base=0)))


def test_pain_mcid_is_two_points_after_farrar_2001() -> None:
    # Farrar et al. 2001, Pain 94:149-158: "a reduction of approximately two points".
    assert mcid_for("pain").points == 2.0 and not mcid_for("pain").assumption


def test_a_symptom_without_a_source_uses_a_flagged_assumption() -> None:
    m = mcid_for("brain fog")
    assert m.assumption and m.points == 1.0


def test_it_refuses_an_mcid_above_10() -> None:
    with pytest.raises(
        AnalysisInputError, match="mcid must be above 0 and at most 10 points, got 12"
    ):
        mcid_for("pain", override=12)
