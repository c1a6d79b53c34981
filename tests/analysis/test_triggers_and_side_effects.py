import datetime as dt

import numpy as np
from scipy import stats

from ldn.analysis import screen_triggers, side_effect_course
from ldn.analysis.simulate import ar1_noise


def test_a_planted_next_day_trigger_is_worth_testing_and_never_called_a_cause() -> None:
    rng = np.random.default_rng(1)
    n = 200
    alcohol = (rng.random(n) < 0.3).astype(float)
    noise = ar1_noise(rng, 0.4, n, 1.2)[0]
    pain = 5 + noise
    pain[1:] += 2.0 * alcohol[:-1]
    sleep = rng.normal(7, 1, n)
    report = screen_triggers(np.arange(n), {"pain": pain}, {"alcohol": alcohol, "sleep_h": sleep})
    by = {a.factor: a for a in report.associations}
    assert by["alcohol"].worth_testing and 1.0 < by["alcohol"].effect < 3.0
    assert all("caus" not in a.sentence.replace("not proof of a cause", "") for a in by.values())


def test_trigger_intervals_cover_the_planted_effect_most_of_the_time() -> None:
    covered = []
    for seed in range(100):
        rng = np.random.default_rng(seed)
        alcohol = (rng.random(200) < 0.3).astype(float)
        pain = 5 + ar1_noise(rng, 0.4, 200, 1.2)[0]
        pain[1:] += 2.0 * alcohol[:-1]
        a = screen_triggers(np.arange(200), {"pain": pain}, {"alcohol": alcohol}).associations[0]
        covered.append(a.ci_low < 2.0 < a.ci_high)
    # nominal 95%; below 85% would be ~4.5 Monte-Carlo SE away
    assert np.mean(covered) >= 0.85


def test_independent_factors_are_rarely_flagged() -> None:
    rng = np.random.default_rng(2)
    n = 180
    flagged = 0
    for _ in range(10):
        symptoms = {f"s{i}": 5 + ar1_noise(rng, 0.6, n, 1.5)[0] for i in range(3)}
        factors = {f"f{j}": ar1_noise(rng, 0.6, n, 1.0)[0] for j in range(4)}
        flagged += sum(
            a.worth_testing for a in screen_triggers(np.arange(n), symptoms, factors).associations
        )
    # 120 null pairs; with FDR 10% under the global null, any flag happens in ~10% of screens.
    assert flagged <= 6


def test_side_effect_incidence_by_week_uses_wilson_intervals() -> None:
    dates = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(21)]
    dose = [0.0] * 7 + [1.5] * 14
    dreams = [np.nan] * 7 + [1, 1, 1, 1, 1, 0, 0] + [1, 0, 0, 0, 0, 0, np.nan]
    report = side_effect_course(
        dates, dose, {"vivid dreams": dreams}, usual_course={"vivid dreams": "often fade"}
    )
    week1, week2 = report.effects[0].by_week
    assert (week1.days_with, week1.days_recorded) == (5, 7) and (
        week2.days_with,
        week2.days_recorded,
    ) == (1, 6)
    ref = stats.binomtest(5, 7).proportion_ci(method="wilson")  # independent implementation
    assert np.isclose(week1.ci_low, ref.low) and np.isclose(week1.ci_high, ref.high)
    assert report.effects[0].usual_course == "often fade"
    assert "5 of 7 days in week 1" in report.effects[0].sentence
