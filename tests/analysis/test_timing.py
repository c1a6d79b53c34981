import datetime as dt

import numpy as np
import pytest

from ldn.analysis import n_of_1, timing
from ldn.analysis.errors import AnalysisInputError

START = dt.date(2026, 5, 4)


def test_the_order_is_the_n_of_1_schedule_drawn_with_the_rng_passed_in():
    d = timing.design(START, block_days=7)
    ours = timing.schedule(d, np.random.default_rng(7))
    theirs = n_of_1.generate_schedule(d, np.random.default_rng(7))
    assert ours == theirs
    assert [b.time for b in timing.blocks(ours)].count("morning") == 2


def test_a_stored_schedule_is_rebuilt_exactly_and_its_seal_still_checks():
    d = timing.design(START, block_days=9)
    s = timing.schedule(d, np.random.default_rng(3))
    again = timing.rebuild(d, list(s.orders), s.nonce)
    assert again == s
    assert n_of_1.verify_seal(again)


def test_it_refuses_blocks_outside_seven_to_ten_days():
    with pytest.raises(AnalysisInputError, match="block_days must be between 7 and 10, got 6"):
        timing.design(START, block_days=6)


def _data(s, effect: float, outcome: str = "vivid_dreams"):
    """Noise-free data: `outcome` lower by `effect` on morning days, 5 elsewhere."""
    dates = [START + dt.timedelta(days=i) for i in range(28)]
    values = np.array(
        [5 - effect if timing.time_on(s, day) == timing.MORNING else 5.0 for day in dates]
    )
    rng = np.random.default_rng(0)
    return dates, {outcome: values + rng.normal(0, 0.3, values.size)}


def test_a_large_consistent_difference_is_claimed_for_the_morning():
    s = timing.schedule(timing.design(START), np.random.default_rng(1))
    result = timing.analyse(s, *_data(s, effect=3.0))
    (r,) = result.outcomes
    assert r.claim == "morning_better"
    assert r.difference == pytest.approx(3.0, abs=0.3)
    assert r.sentence.startswith("Vivid dreams: better with the morning dose by about 3.")


def test_no_difference_is_reported_as_no_clear_difference():
    s = timing.schedule(timing.design(START), np.random.default_rng(1))
    (r,) = timing.analyse(s, *_data(s, effect=0.0)).outcomes
    assert r.claim == "no_clear_difference"


def test_missing_blocks_give_too_little_data_not_a_verdict():
    s = timing.schedule(timing.design(START), np.random.default_rng(1))
    dates = [START + dt.timedelta(days=i) for i in range(28)]
    (r,) = timing.analyse(s, dates, {"energy": np.full(28, np.nan)}).outcomes
    assert r.claim == "too_little_data"


def test_calibration_without_a_timing_effect_claims_a_difference_rarely():
    # 400 simulated experiments, 5 outcomes, no effect: the Bonferroni-widened t interval keeps
    # the share of experiments with any claim near or below 5% (the benchmark runs 5000).
    any_claim, per_outcome = timing.false_claim_rate(np.random.default_rng(2026), runs=400)
    assert any_claim <= 0.08
    assert per_outcome <= 0.02
