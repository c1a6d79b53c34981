"""The batched verdicts used by the calibration are the core's verdicts on the same series."""

import datetime as dt

import numpy as np
import pytest

from ldn.analysis import DailySeries, analyse_before_after, assign_phases
from ldn.analysis.batch import batch_verdicts
from ldn.analysis.calibration import review
from ldn.analysis.simulate import scenario_doses, simulate_scores


@pytest.mark.parametrize("phi,effect,trend", [(0.3, -2.0, 0.0), (0.8, 0.0, 0.0), (0.0, 0.0, -3.0)])
def test_batched_verdicts_and_estimates_match_analyse_before_after(phi, effect, trend) -> None:
    sc = review("b", phi=phi, effect=effect, trend_total=trend)
    y = simulate_scores(sc, np.random.default_rng(12), 25)
    dates = tuple(dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(sc.n_days))
    dose = scenario_doses(sc)
    plan = assign_phases(DailySeries(dates, dose, {"p": y[0]}))
    batch = batch_verdicts(np.arange(sc.n_days), y, plan, sc.baseline_days)
    for i in range(y.shape[0]):
        core = analyse_before_after(DailySeries(dates, dose, {"p": y[i]}), with_forecast=False)
        res = core.symptoms[0]
        assert batch.verdict[i] == res.verdict
        assert abs(batch.effect[i] - res.effect) < 0.01 * (res.ci_high - res.ci_low)
