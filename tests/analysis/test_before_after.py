import datetime as dt

import numpy as np

from ldn.analysis import DailySeries, Scenario, analyse_before_after, simulate_series


def test_a_large_clear_improvement_is_likely_better_with_high_chance_beyond_mcid() -> None:
    series = simulate_series(
        Scenario("big", phi=0.2, effect=-4.0, sd=1.0), np.random.default_rng(1)
    )
    res = analyse_before_after(series).symptoms[0]
    assert res.verdict == "likely_better" and res.ci_high < 0 and res.p_improvement_mcid > 0.5


def test_a_large_worsening_is_likely_worse() -> None:
    series = simulate_series(Scenario("bad", phi=0.2, effect=3.0, sd=1.0), np.random.default_rng(2))
    assert analyse_before_after(series).symptoms[0].verdict == "likely_worse"


def test_the_interval_covers_the_true_effect_in_most_simulations() -> None:
    rng = np.random.default_rng(3)
    covered = []
    for _ in range(60):
        res = analyse_before_after(
            simulate_series(Scenario("c", phi=0.5, effect=-1.0, missing=0.0, mean=5.0), rng)
        ).symptoms[0]
        covered.append(res.ci_low <= -1.0 <= res.ci_high)
    # 95% nominal; 60 draws: below 80% would be ~5 SE away.
    assert np.mean(covered) >= 0.8


def test_it_says_too_little_data_with_one_week_of_baseline() -> None:
    series = simulate_series(Scenario("short", baseline_days=20), np.random.default_rng(4))
    res = analyse_before_after(series).symptoms[0]
    assert res.verdict == "too_little_data" and res.effect is None
    assert "not enough data" in res.sentence


def test_holm_correction_applies_across_symptoms() -> None:
    series = simulate_series(Scenario("m"), np.random.default_rng(5), symptoms=("a", "b", "c"))
    report = analyse_before_after(series)
    ps = sorted(s.p_value for s in report.symptoms)
    adj = sorted(s.p_adjusted for s in report.symptoms)
    assert np.isclose(adj[0], min(1.0, 3 * ps[0]))
    assert "Holm" in report.method


def test_each_settled_dose_gets_its_own_estimate() -> None:
    base = simulate_series(Scenario("d", dose_days=120, sd=1.0), np.random.default_rng(6))
    dose = base.dose_mg.copy()
    dose[-60:] = 3.0
    series = DailySeries(base.dates, dose, base.scores)
    labels = [d.label for d in analyse_before_after(series).symptoms[0].dose_effects]
    assert labels == ["dose_4.5mg", "dose_3mg"]


def test_missing_days_reduce_the_days_used() -> None:
    series = simulate_series(Scenario("x", missing=0.0), np.random.default_rng(7))
    scores = series.scores["pain"].copy()
    scores[100:110] = np.nan
    holed = DailySeries(series.dates, series.dose_mg, {"pain": scores})
    full = analyse_before_after(series).symptoms[0]
    assert analyse_before_after(holed).symptoms[0].n_treatment == full.n_treatment - 10
    assert holed.dates[0] == dt.date(2024, 1, 1)
