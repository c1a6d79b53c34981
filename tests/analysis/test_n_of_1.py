import dataclasses
import datetime as dt

import numpy as np

from ldn.analysis import (
    TrialDesign,
    allocation_sheet,
    analyse_trial,
    generate_schedule,
    verify_seal,
)

DESIGN = TrialDesign(start=dt.date(2025, 1, 6), pairs=4, period_days=14, washout_days=4)


def test_the_same_seed_gives_the_same_schedule_and_each_pair_has_one_ldn_period() -> None:
    a = generate_schedule(DESIGN, np.random.default_rng(42))
    b = generate_schedule(DESIGN, np.random.default_rng(42))
    assert a == b
    for k in range(1, 5):
        assert sorted(p.treatment for p in a.periods if p.pair == k) == ["ldn", "placebo"]
    assert a.periods[-1].end == dt.date(2025, 1, 6) + dt.timedelta(days=8 * 14 - 1)


def test_the_seal_detects_a_changed_allocation() -> None:
    s = generate_schedule(DESIGN, np.random.default_rng(1))
    flipped = tuple("BA" if o == "AB" else "AB" for o in s.orders)
    assert verify_seal(s) and not verify_seal(dataclasses.replace(s, orders=flipped))


def test_the_allocation_sheet_lists_every_bottle_without_a_patient_view_of_contents() -> None:
    s = generate_schedule(DESIGN, np.random.default_rng(1))
    sheet = allocation_sheet(s)
    assert [r.bottle for r in sheet.rows] == [f"Bottle {i}" for i in range(1, 9)]
    assert sum("LDN 4.5 mg" in r.contents for r in sheet.rows) == 4


def _scores(s, ldn_shift: float, rng: np.random.Generator) -> tuple[list[dt.date], np.ndarray]:
    dates = [s.design.start + dt.timedelta(days=i) for i in range(8 * 14)]
    y = 5 + rng.normal(0, 0.5, len(dates))
    for p in s.periods:
        if p.treatment == "ldn":
            y[(p.start - s.design.start).days : (p.end - s.design.start).days + 1] += ldn_shift
    return dates, y


def test_four_pairs_all_favouring_ldn_give_the_smallest_possible_p_of_one_in_16() -> None:
    s = generate_schedule(DESIGN, np.random.default_rng(3))
    dates, y = _scores(s, -3.0, np.random.default_rng(0))
    res = analyse_trial(s, dates, y)
    # All 4 differences negative: only the observed labelling (1 of 2**4) has a mean this low.
    assert res.p_one_sided_better == 1 / 16 and res.p_two_sided == 2 / 16
    assert res.verdict == "no_clear_change"  # 1/16 > 0.05: four pairs cannot reach significance
    assert res.ci_high < 0


def test_six_pairs_can_show_likely_better() -> None:
    s = generate_schedule(dataclasses.replace(DESIGN, pairs=6), np.random.default_rng(3))
    dates = [s.design.start + dt.timedelta(days=i) for i in range(12 * 14)]
    y = np.full(len(dates), 5.0)
    for p in s.periods:
        if p.treatment == "ldn":
            y[(p.start - s.design.start).days : (p.end - s.design.start).days + 1] -= 2
    assert analyse_trial(s, dates, y).verdict == "likely_better"


def test_the_default_design_can_reach_significance() -> None:
    default = TrialDesign(start=dt.date(2025, 1, 6))
    assert default.pairs == 5 and default.findings() == ()
    s = generate_schedule(default, np.random.default_rng(3))
    dates = [s.design.start + dt.timedelta(days=i) for i in range(10 * 14)]
    y = np.full(len(dates), 5.0)
    for p in s.periods:
        if p.treatment == "ldn":
            y[(p.start - s.design.start).days : (p.end - s.design.start).days + 1] -= 2
    res = analyse_trial(s, dates, y)
    # One-sided: 1/32 < 0.05, so a consistent effect is called; two-sided cannot go below 2/32.
    assert res.p_one_sided_better == 1 / 32 and res.p_two_sided == 2 / 32
    assert res.verdict == "likely_better"


def test_design_with_four_pairs_is_flagged_as_unable_to_reach_005() -> None:
    assert [code for code, _ in DESIGN.findings()] == ["N1_TOO_FEW_PAIRS"]
    assert dataclasses.replace(DESIGN, pairs=5).findings() == ()
