import datetime as dt

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

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
    assert r.check_claim == "too_little_data"


def test_one_block_at_each_time_is_too_little_data():
    # 2 blocks leave df = blocks - 2 = 0: no interval, so no verdict.
    s = timing.schedule(timing.design(START), np.random.default_rng(1))
    dates, series = _data(s, effect=3.0)
    series["vivid_dreams"][14:] = np.nan  # only the first pair is rated
    (r,) = timing.analyse(s, dates, series).outcomes
    assert r.claim == "too_little_data"
    assert r.sentence.startswith("Vivid dreams: too few rated blocks to compare")


def test_the_block_comparison_is_scipys_two_sample_t_on_the_block_means():
    # Outside reference: scipy.stats.ttest_ind (pooled variance) on the analysed-day means of
    # the morning blocks against those of the bedtime blocks, and its confidence interval.
    s = timing.schedule(timing.design(START, pairs=3), np.random.default_rng(4))
    dates = [START + dt.timedelta(days=i) for i in range(42)]
    values = np.random.default_rng(5).integers(0, 11, 42).astype(float)
    values[[3, 17, 30]] = np.nan
    (r,) = timing.analyse(s, dates, {"vivid_dreams": values}, alpha=0.05).outcomes
    means = {timing.MORNING: [], timing.BEDTIME: []}
    for b in timing.blocks(s):
        sel = [b.analysed_from <= d <= b.end for d in dates]
        means[b.time].append(np.nanmean(values[sel]))
    # vivid dreams: lower is better, so the result's difference is bedtime minus morning.
    ref = stats.ttest_ind(means[timing.BEDTIME], means[timing.MORNING], equal_var=True)
    ci = ref.confidence_interval(0.95)
    assert r.contrast.df == 4
    assert_allclose(
        [r.difference, r.low, r.high],
        [ci.low + (ci.high - ci.low) / 2, ci.low, ci.high],
        rtol=1e-10,
    )


def test_the_pair_by_pair_check_is_shown_beside_the_result():
    s = timing.schedule(timing.design(START), np.random.default_rng(1))
    (r,) = timing.analyse(s, *_data(s, effect=3.0)).outcomes
    assert r.check.startswith("Pair by pair (the N-of-1 check): +3.")
    assert "1 degree of freedom" in r.check
    assert r.trial.n_pairs_used == 2


def test_it_refuses_an_alpha_outside_zero_and_one():
    s = timing.schedule(timing.design(START), np.random.default_rng(1))
    with pytest.raises(AnalysisInputError, match="alpha must be between 0 and 1, got 1.5"):
        timing.analyse(s, *_data(s, effect=0.0), alpha=1.5)


# Calibration. With 5 outcomes and Bonferroni the nominal share of experiments with any claim and
# no timing effect is at most 1 - 0.99**5 = 0.049. Each bound below is 0.05 plus about 2.5 Monte
# Carlo standard errors, so a rule running at 8% or more fails it (the looser rule further down
# shows the check does fail). Figures for the whole grid: benchmarks/timing_calibration.py.


def _bound(runs: int) -> float:
    return 0.05 + 2.5 * np.sqrt(0.05 * 0.95 / runs)


def test_calibration_without_a_timing_effect_claims_a_difference_rarely():
    any_claim, per_outcome = timing.false_claim_rate(np.random.default_rng(2026), runs=1000)
    assert any_claim <= _bound(1000)
    assert per_outcome <= 0.01 + 2.5 * np.sqrt(0.01 / 5000)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("phi", "pairs", "block_days"),
    [(0.0, 2, 7), (0.3, 3, 7), (0.6, 3, 10), (0.8, 2, 7), (0.8, 2, 10), (0.8, 4, 10)],
)
def test_calibration_holds_across_autocorrelation_pairs_and_block_lengths(phi, pairs, block_days):
    rng = np.random.default_rng([2027, int(10 * phi), pairs, block_days])
    any_claim, _ = timing.false_claim_rate(
        rng, runs=2000, phi=phi, pairs=pairs, block_days=block_days
    )
    assert any_claim <= _bound(2000)


def test_the_calibration_check_fails_a_rule_that_claims_too_often():
    # The same check on a rule five times too loose (alpha 0.25 over 5 outcomes, 5% per outcome)
    # must fail: the bounds above can tell a miscalibrated rule from a calibrated one.
    any_claim, _ = timing.false_claim_rate(np.random.default_rng(2026), runs=1000, alpha=0.25)
    assert any_claim > _bound(1000)


def test_with_two_pairs_the_block_comparison_finds_a_4_point_difference_more_often():
    # 2 blocks at each time: the pair-by-pair interval (df = 1) almost never finds a 4-point drop
    # in vivid dreams; the block comparison (df = 2) finds it several times as often (the
    # benchmark has the figures for every design).
    blocks = timing.power(np.random.default_rng(8), 4.0, runs=600)
    pairs = timing.power(np.random.default_rng(8), 4.0, runs=600, rule="check_claim")
    assert pairs < 0.08
    assert blocks > 0.12
    assert blocks > 3 * pairs


@pytest.mark.slow
def test_with_four_pairs_a_4_point_difference_is_usually_found():
    assert timing.power(np.random.default_rng(9), 4.0, runs=600, pairs=4) > 0.8


def test_it_refuses_an_unknown_rule():
    with pytest.raises(AnalysisInputError, match="rule must be one of claim, check_claim, got 'x'"):
        timing.power(np.random.default_rng(0), 4.0, runs=1, rule="x")
