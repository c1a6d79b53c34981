import dataclasses
import datetime as dt

import numpy as np

from ldn.analysis import DailySeries, Scenario, analyse_before_after, simulate_series
from ldn.analysis.calibration import review


def test_a_large_clear_improvement_is_likely_better_with_high_chance_beyond_mcid() -> None:
    series = simulate_series(
        Scenario("big", phi=0.2, effect=-4.0, sd=1.0), np.random.default_rng(1)
    )
    res = analyse_before_after(series).symptoms[0]
    assert res.verdict == "likely_better" and res.ci_high < 0 and res.p_improvement_mcid > 0.5


def test_a_large_worsening_is_likely_worse() -> None:
    series = simulate_series(Scenario("bad", phi=0.2, effect=3.0, sd=1.0), np.random.default_rng(2))
    assert analyse_before_after(series).symptoms[0].verdict == "likely_worse"


def test_a_two_point_improvement_at_the_12_week_review_is_found_with_its_size() -> None:
    # The case: 4 weeks baseline, 4 titration, 8 settled, phi 0.3, SD 1.5, effect -2.
    series = simulate_series(review("r", phi=0.3, effect=-2.0), np.random.default_rng(11))
    res = analyse_before_after(series).symptoms[0]
    assert res.verdict == "likely_better"
    assert res.ci_low < -2.0 < res.ci_high and res.ci_high < 0


def test_it_says_too_little_data_with_one_week_of_baseline() -> None:
    series = simulate_series(Scenario("short", baseline_days=20), np.random.default_rng(4))
    res = analyse_before_after(series).symptoms[0]
    assert res.verdict == "too_little_data" and res.effect is None
    assert "not enough data" in res.sentence


def test_with_three_symptoms_the_interval_shown_is_the_one_the_verdict_uses() -> None:
    series = simulate_series(
        Scenario("m", effect=-1.0), np.random.default_rng(5), symptoms=("a", "b", "c")
    )
    report = analyse_before_after(series)
    for s in report.symptoms:
        assert np.isclose(s.interval_level, 1 - 0.05 / 3)
        called = s.verdict in ("likely_better", "likely_worse")
        assert called == (not s.ci_low <= 0 <= s.ci_high)
        assert np.isclose(s.p_adjusted, min(1.0, 3 * s.p_value))
        assert "a 98.3% interval, widened because 3 symptoms are checked at once" in s.sentence
        assert (
            s.chance_note
            == f"for {s.symptom} alone; the verdict also allows for the 3 symptoms checked at once"
        )
    assert "Bonferroni over 3 symptom(s)" in report.method


def test_an_improvement_that_was_already_under_way_is_downgraded_and_says_so() -> None:
    # No effect of LDN, but scores fall steadily by 4 points over the 16 weeks.
    series = simulate_series(
        review("trend", phi=0.0, trend_total=-4.0, sd=1.0, missing=0.0), np.random.default_rng(3)
    )
    res = analyse_before_after(series).symptoms[0]
    assert res.trend is not None and res.trend.downgraded and res.trend.already_improving
    assert res.verdict == "no_clear_change" and res.ci_high < 0
    assert "already improving" in res.sentence
    assert res.trend.ci_low <= 0 <= res.trend.ci_high


def test_without_the_rule_the_same_diary_is_likely_better() -> None:
    series = simulate_series(
        review("trend", phi=0.0, trend_total=-4.0, sd=1.0, missing=0.0), np.random.default_rng(3)
    )
    res = analyse_before_after(series, trend_rule=False).symptoms[0]
    assert res.verdict == "likely_better" and not res.trend.downgraded


def test_a_worsening_is_never_downgraded_by_a_trend() -> None:
    series = simulate_series(
        review("w", phi=0.0, trend_total=4.0, sd=1.0, missing=0.0), np.random.default_rng(3)
    )
    res = analyse_before_after(series).symptoms[0]
    assert res.verdict == "likely_worse" and not res.trend.downgraded


def test_a_flare_in_the_two_weeks_before_the_start_never_sets_the_reference() -> None:
    calm = simulate_series(review("c", missing=0.0), np.random.default_rng(8))
    flared = calm.scores["pain"].copy()
    flared[14:28] = 10.0  # the run-in: worst possible scores
    a = analyse_before_after(calm).symptoms[0]
    b = analyse_before_after(DailySeries(calm.dates, calm.dose_mg, {"pain": flared})).symptoms[0]
    assert a.effect == b.effect


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


def test_a_patient_on_a_noisy_short_baseline_is_told_the_baseline_limits_the_answer() -> None:
    sc = review("noisy", phi=0.8, missing=0.0)
    series = simulate_series(dataclasses.replace(sc, sd=2.5), np.random.default_rng(9))
    res = analyse_before_after(series).symptoms[0]
    assert res.verdict == "no_clear_change"
    two = res.forecast.for_change(2.0)
    assert two.limited_by_baseline and two.date is None
    assert (
        "The days you scored before LDN, not the time on LDN, limit what can be seen"
        in res.sentence
    )
