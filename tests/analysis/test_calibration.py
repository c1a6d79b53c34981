"""The calibration the issue asks for: no-effect diaries must rarely be called likely_better.

The bound allows for Monte-Carlo error: with n series the share of false positives of a method that
truly sits at 5% exceeds 0.05 + 3 * sqrt(0.05 * 0.95 / n) with probability ~0.1%. The naive t-test
is run on the same kind of series to show the test can fail.
"""

import numpy as np
import pytest

from ldn.analysis.calibration import null_scenarios, run_case
from ldn.analysis.simulate import Scenario

N_SERIES = 250
BOUND = 0.05 + 3 * np.sqrt(0.05 * 0.95 / N_SERIES)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", null_scenarios(), ids=lambda s: s.name)
def test_likely_better_false_positive_rate_stays_at_5_percent(scenario: Scenario) -> None:
    row = run_case(scenario, N_SERIES, np.random.default_rng(20240), comparators=False)
    assert row.ours <= BOUND


def test_the_bound_is_strict_enough_to_fail_a_naive_t_test() -> None:
    row = run_case(Scenario("trend", phi=0.3, trend_total=-1.5), 100, np.random.default_rng(3))
    assert row.naive > 0.05 + 3 * np.sqrt(0.05 * 0.95 / 100)


def test_it_detects_a_two_point_improvement_most_of_the_time_without_autocorrelation() -> None:
    row = run_case(
        Scenario("effect", phi=0.0, effect=-2.0), 100, np.random.default_rng(4), comparators=False
    )
    assert row.ours > 0.6
