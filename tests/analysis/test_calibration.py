"""The calibration the issue asks for, at the method's own nominal rate, both directions.

Our verdict is a two-sided 95% interval leaving out 0, so the nominal rate of a false 'likely better'
and of a false 'likely worse' is 2.5% each. With 1,000 series the observed share of a method truly at
2.5% exceeds 0.025 + 3 * sqrt(0.025 * 0.975 / 1000) = 0.040 with probability ~0.1%. Interval coverage
must be >= 93% over the same 1,000 null series. A naive t-test on the same kind of series exceeds the
bound, so the test can fail. Series are batched (`ldn.analysis.batch`, checked against the core in
test_batch.py) to keep the slow tests within CI's budget.
"""

import numpy as np
import pytest

from ldn.analysis.calibration import ForecastCheck, forecast_check, review, run_case
from ldn.analysis.simulate import Scenario

N_SERIES = 1000
NOMINAL = 0.025
BOUND = NOMINAL + 3 * np.sqrt(NOMINAL * (1 - NOMINAL) / N_SERIES)
CASES = [
    review(
        f"phi={phi} {'flare 14 d' if flare else 'no flare'}", phi=phi, flare=flare, flare_days=14
    )
    for phi in (0.0, 0.3, 0.6, 0.8)
    for flare in (0.0, 3.0)
]


@pytest.mark.slow
@pytest.mark.parametrize("scenario", CASES, ids=lambda s: s.name)
def test_false_verdicts_stay_at_the_nominal_rate_in_both_directions(scenario: Scenario) -> None:
    row = run_case(scenario, N_SERIES, np.random.default_rng(20240))
    assert row.better <= BOUND and row.worse <= BOUND


@pytest.mark.slow
@pytest.mark.parametrize("phi", [0.0, 0.3, 0.6, 0.8])
def test_the_95_percent_interval_covers_a_null_effect_at_least_93_percent(phi: float) -> None:
    # At phi 0.8 the interval covers 94.1% over 3,000 null series (seed 11, Monte-Carlo SE 0.4%),
    # so a 1,000-series draw falls under 93% about 7% of the time; this seed gives 94.9%.
    row = run_case(review(f"phi={phi}", phi=phi), N_SERIES, np.random.default_rng(7))
    assert row.coverage >= 0.93


@pytest.mark.slow
def test_a_two_point_improvement_at_the_12_week_review_is_found_80_percent_of_the_time() -> None:
    row = run_case(review("review", phi=0.3, effect=-2.0), N_SERIES, np.random.default_rng(4))
    assert row.better >= 0.80


@pytest.mark.slow
def test_the_forecast_for_one_point_without_carry_over_is_within_a_week_of_the_empirical_one() -> (
    None
):
    # The benchmark's case (seed 4000 + 4), 400 patients, empirical point on 1,600: the verdict
    # reaches 80% at 8.0 weeks on a settled dose, the forecast's median 7.4 weeks (7.7 before its
    # phi was debiased; 9.3 while it was cut at 0, forecast._noise).
    sc = review("phi=0.0 eff -1 base 8 wk", phi=0.0, effect=-1.0, baseline_days=56)
    check = forecast_check(sc, 400, np.random.default_rng(4004))
    assert check.empirical_weeks is not None and 7 < check.empirical_weeks <= 8
    assert check.agrees


def test_the_bound_is_strict_enough_to_fail_a_naive_t_test() -> None:
    row = run_case(
        review("flare", phi=0.3, flare=3.0, flare_days=14), 200, np.random.default_rng(3)
    )
    assert row.naive_better > BOUND


def test_a_forecast_beyond_the_measured_weeks_agrees_only_if_it_is_past_them_too() -> None:
    # The verdict did not reach 80% in 26 weeks: its point is later, and only a forecast of 26
    # weeks or more (or none) can be within a week of it.
    sc = review("far", phi=0.8, effect=-2.0)

    def check(median_days: float | None) -> ForecastCheck:
        return ForecastCheck(sc, 400, None, median_days, 0.4, 0.5, max_weeks=26)

    assert check(None).agrees
    assert check(7 * 40).agrees
    assert check(7 * 26).agrees
    assert not check(7 * 25).agrees
