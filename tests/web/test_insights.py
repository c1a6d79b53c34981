"""The insights dashboard: the loader from the database, what the page says, who may see it."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from django.test import Client
from typer.testing import CliRunner

from tests.conftest import make_patient

START = dt.date(2026, 1, 1)


def diary(patient, days, symptoms=("Pain",), entry=None):
    """days: list of (offset, {symptom: score}, dose_mg or None, status or None)."""
    from ldn.web.journal.models import DailyEntry, DoseLog, Symptom, SymptomRating

    objs = {
        name: Symptom.objects.get_or_create(
            patient=patient, key=name.lower().replace(" ", "-"), defaults={"name": name}
        )[0]
        for name in symptoms
    }
    for offset, scores, dose, status in days:
        day = START + dt.timedelta(days=offset)
        e = DailyEntry.objects.create(patient=patient, day=day, **(entry(offset) if entry else {}))
        for name, score in scores.items():
            SymptomRating.objects.create(entry=e, symptom=objs[name], score=score)
        if status:
            DoseLog.objects.create(patient=patient, day=day, status=status, amount_mg=dose)
    return objs


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- loader ---------------------------------------------------------------------------------


def test_the_loader_gives_dose_0_before_ldn_the_planned_dose_when_missed_and_gaps_as_missing(db):
    from ldn.web.insights.loader import load_diary

    pat = make_patient("pat")
    diary(
        pat,
        [
            (0, {"Pain": 6}, None, None),
            (1, {"Pain": 7}, None, None),
            (3, {"Pain": 5}, 1.5, "taken"),  # day 2 missing entirely
            (4, {}, 1.5, "missed"),
            (6, {"Pain": 4}, 3.0, "taken"),  # day 5: no dose log after the start
        ],
    )
    frame = load_diary(pat).frame()
    assert list(frame.columns) == ["date", "ldn_dose_mg", "Pain"]
    assert frame["date"].tolist() == [(START + dt.timedelta(days=i)).isoformat() for i in range(7)]
    dose = frame["ldn_dose_mg"].tolist()
    assert dose[:3] == [0.0, 0.0, 0.0] and dose[3:5] == [1.5, 1.5] and dose[6] == 3.0
    assert np.isnan(dose[5])
    pain = frame["Pain"].tolist()
    assert pain[0:2] == [6, 7] and pain[3] == 5 and pain[6] == 4
    assert np.isnan(pain[2]) and np.isnan(pain[4]) and np.isnan(pain[5])


def test_the_loader_reads_only_the_patients_own_rows_in_a_fixed_number_of_queries(
    db, django_assert_max_num_queries
):
    from ldn.web.insights.loader import load_diary

    pat, other = make_patient("pat"), make_patient("other")
    diary(other, [(i, {"Pain": 9}, 4.5, "taken") for i in range(40)])
    diary(pat, [(i, {"Pain": 2}, None, None) for i in range(400)])
    with django_assert_max_num_queries(6):
        loaded = load_diary(pat)
    assert len(loaded.dates) == 400 and set(loaded.scores["Pain"].tolist()) == {2.0}
    assert not np.any(loaded.dose_mg)


def test_the_web_series_matches_the_documented_csv_path_for_the_demo_patient(db):
    """Built directly from arrays for speed; must equal `daily_series_from_frame` of the frame."""
    from ldn.analysis import daily_series_from_frame
    from ldn.web.insights.loader import load_diary
    from ldn.web.journal.demo import create_demo_patient

    user, _ = create_demo_patient(dt.date.today())
    loaded = load_diary(user)
    via_csv = daily_series_from_frame(loaded.frame())
    direct = loaded.series()
    assert via_csv.dates == direct.dates
    np.testing.assert_array_equal(via_csv.dose_mg, loaded.dose_mg)
    for name in loaded.scores:
        np.testing.assert_array_equal(via_csv.scores[name], loaded.scores[name])


def test_ldn_analyze_user_demo_gives_what_the_demo_journal_itself_gives(db, monkeypatch):
    """Outside reference: the synthetic journal as generated, not read back from the database."""
    import ldn.cli.analyze as analyze_cli
    from ldn.analysis import analyse_before_after, daily_series_from_frame
    from ldn.cli import app
    from ldn.journal import SYMPTOM_PRESETS, generate_demo_journal
    from ldn.web.insights.loader import series_for_username
    from ldn.web.journal.demo import create_demo_patient

    today = dt.date.today()
    create_demo_patient(today, seed=11)
    journal = generate_demo_journal(today, np.random.default_rng(11))
    names = {p.key: p.name for p in SYMPTOM_PRESETS}
    frame = pd.DataFrame(
        [
            {
                "date": d.day.isoformat(),
                "ldn_dose_mg": d.dose_mg or 0.0,
                **{names[k]: v for k, v in d.scores.items()},
            }
            for d in journal.days
        ]
    )
    expected = analyse_before_after(daily_series_from_frame(frame))

    monkeypatch.setattr(analyze_cli, "USER_LOADER", series_for_username)
    result = CliRunner().invoke(app, ["analyze", "--user", "demo", "--json"])
    assert result.exit_code == 0, result.output
    got = {s["symptom"]: s for s in json.loads(result.output)["symptoms"]}
    for s in expected.symptoms:
        assert got[s.symptom]["verdict"] == s.verdict
        assert got[s.symptom]["effect"] == pytest.approx(s.effect, abs=1e-4)
        assert got[s.symptom]["n_treatment"] == s.n_treatment


def test_ldn_analyze_user_refuses_an_unknown_name_in_one_line(db, monkeypatch):
    import ldn.cli.analyze as analyze_cli
    from ldn.cli import app
    from ldn.web.insights.loader import series_for_username

    monkeypatch.setattr(analyze_cli, "USER_LOADER", series_for_username)
    result = CliRunner().invoke(app, ["analyze", "--user", "nobody"])
    assert result.exit_code == 1
    assert "Error: --user must name a patient in the database, got 'nobody'" in result.output
    assert "Traceback" not in result.output


# --- the dashboard --------------------------------------------------------------------------


def two_phase_diary(pat, before=6, after=3, noise=0):
    """60 days before LDN, then 90 days on 4.5 mg; scores flat apart from small noise."""
    rng = np.random.default_rng(1)

    def score(base):
        return int(np.clip(base + (rng.integers(-noise, noise + 1) if noise else 0), 0, 10))

    days = [(i, {"Pain": score(before)}, None, None) for i in range(60)]
    days += [(60 + i, {"Pain": score(after)}, 4.5, "taken") for i in range(90)]
    return diary(pat, days)


def test_the_dashboard_tells_a_clear_improvement_in_words_with_its_interval(db):
    pat = make_patient("pat")
    two_phase_diary(pat, before=6, after=3, noise=1)
    html = login(pat).get("/insights/").content.decode()
    assert "Likely better" in html
    assert "Your pain scores have been lower on LDN than before" in html
    assert "95% interval" in html and "This does not prove LDN caused it." in html
    assert "Chance it improved by ≥ 2 points (MCID)" in html  # pain: 2-point MCID, cited


def test_the_chart_has_a_table_twin_with_the_average_of_each_phase(db):
    pat = make_patient("pat")
    two_phase_diary(pat, before=6, after=3)
    html = login(pat).get("/insights/").content.decode()
    assert "Average by phase" in html
    # Flat scores: the baseline phase averages 6.0 and the settled-dose phase 3.0.
    assert '<th scope="row">Before LDN (baseline)</th>' in html
    assert "<td>46</td><td>6.0</td>" in html  # 60 days minus the 14-day run-in
    assert '<th scope="row">On LDN 4.5 mg</th>' in html and "<td>3.0</td>" in html
    assert 'role="img"' in html and "<title" in html


def test_an_account_without_data_gets_a_plain_explanation(db):
    pat = make_patient("pat")
    html = login(pat).get("/insights/").content.decode()
    assert "You track no symptoms yet." in html  # not "no whole day": days would not help
    diary(pat, [], symptoms=("Pain",))
    html = login(pat).get("/insights/").content.decode()
    assert "No whole day in your diary yet." in html


def test_before_any_dose_the_page_counts_baseline_days_instead_of_analysing(db):
    pat = make_patient("pat")
    diary(pat, [(i, {"Pain": 5}, None, None) for i in range(10)])
    html = login(pat).get("/insights/").content.decode()
    assert "You have 10 whole days in your diary and no LDN dose logged yet" in html


def test_the_analysis_counts_whole_days_and_says_when_today_joins(db, time_machine):
    """Today's check-in is in the diary but not yet in the analysis: the page says so, also on
    the first day of a new account (not 'empty')."""
    time_machine.move_to(dt.datetime(2026, 1, 10, 20, 0, tzinfo=dt.UTC), tick=False)
    pat = make_patient("pat")
    diary(pat, [(9, {"Pain": 5}, None, None)])  # 10 Jan: today
    html = login(pat).get("/insights/").content.decode()
    assert "No whole day in your diary yet." in html
    assert "What you logged today is saved" in html and "joins the analysis tomorrow" in html
    diary(pat, [(i, {"Pain": 5}, None, None) for i in range(9)])
    html = login(pat).get("/insights/").content.decode()
    assert "You have 9 whole days in your diary" in html
    assert "Counted up to yesterday, 9 Jan 2026." in html


def test_adherence_counts_taken_missed_and_unlogged_nights_per_week(db):
    pat = make_patient("pat")
    days = [(i, {"Pain": 5}, None, None) for i in range(30)]
    statuses = ["taken"] * 5 + ["missed"] * 2 + ["taken"] * 3  # then 4 nights not logged
    days += [(30 + i, {"Pain": 5}, 4.5, s) for i, s in enumerate(statuses)]
    days += [(44, {"Pain": 5}, 4.5, "taken")]
    diary(pat, days)
    from ldn.web.insights.loader import load_diary
    from ldn.web.insights.services import adherence_card

    # No plan (an imported diary): every night from the first dose to yesterday is due.
    a = adherence_card(pat, load_diary(pat), START + dt.timedelta(days=45))
    assert (a.days, a.taken, a.missed, a.not_logged) == (15, 9, 2, 4)
    assert sum(w.days for w in a.weeks) == 15
    assert all(w.start.weekday() == 0 for w in a.weeks[1:])  # ISO weeks, as on every screen


def test_side_effects_show_the_knowledge_base_course_beside_the_patients_weeks(db):
    from ldn.knowledge import load_knowledge

    pat = make_patient("pat")

    def entry(offset):
        return {"side_effects": ["vivid_dreams"] if offset in (30, 31, 33) else []}

    diary(pat, [(i, {"Pain": 5}, None if i < 30 else 4.5, None if i < 30 else "taken")
                for i in range(50)], entry=entry)  # fmt: skip
    html = login(pat).get("/insights/").content.decode()
    kb_text = next(s for s in load_knowledge().side_effects.items if s.slug == "vivid-dreams")
    assert "Vivid dreams: 3 of 7 days in week 1" in html
    assert kb_text.description.text in html
    assert "Source: MPR report of the AAPM meeting 2012, Vatvani 2024, Younger 2009." in html


def test_a_strong_habit_link_is_worth_testing_and_never_called_a_cause(db):
    pat = make_patient("pat")
    rng = np.random.default_rng(3)
    drinks = (rng.random(200) < 0.3).astype(int)
    pain = [5 + 3 * drinks[i - 1] if i else 5 for i in range(200)]

    def entry(offset):
        return {"alcohol_units": int(drinks[offset]) * 3}

    diary(pat, [(i, {"Pain": int(pain[i])}, None, None) for i in range(200)], entry=entry)
    html = login(pat).get("/insights/").content.decode()
    assert "Habits worth testing" in html
    assert "Pain the next day was" in html and "when alcohol units was 1 SD higher" in html
    assert "Worth testing on purpose; an association is not proof of a cause." in html
    worth = html.split('<ul class="worth">')[1].split("</ul>")[0]
    items = worth.split("<li>")[1:]
    assert items and all("an association is not proof of a cause" in i for i in items)


def test_an_edited_score_changes_the_result_at_once(db):
    from ldn.web.journal.models import SymptomRating

    pat = make_patient("pat")
    two_phase_diary(pat, before=6, after=3, noise=1)
    client = login(pat)
    first = client.get("/insights/").content.decode()
    SymptomRating.objects.filter(
        entry__patient=pat, entry__day__gte=START + dt.timedelta(60)
    ).update(score=6)
    second = client.get("/insights/").content.decode()
    assert "Likely better" in first and "Likely better" not in second


def test_the_dashboard_query_count_does_not_grow_with_the_diary(db, django_assert_max_num_queries):
    small, large = make_patient("small"), make_patient("large")
    two_phase_diary(small)
    diary(large, [(i, {"Pain": 5, "Fatigue": 4}, None if i < 60 else 3.0, None if i < 60 else "taken")
                  for i in range(900)], symptoms=("Pain", "Fatigue"))  # fmt: skip
    counts = []
    for pat in (small, large):
        client = login(pat)
        client.get("/insights/")
        with django_assert_max_num_queries(30) as captured:
            assert client.get("/insights/").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_a_sharing_clinician_sees_the_patients_insights_read_only(world):
    two_phase_diary(world.alice)
    html = login(world.bob).get(f"/insights/patients/{world.alice.pk}/").content.decode()
    assert "Insights:" in html and "Likely better" in html
    assert "Plan a blinded trial" not in html
    index = login(world.bob).get("/insights/").content.decode()
    assert f"/insights/patients/{world.alice.pk}/" in index


def test_a_share_without_the_analysis_area_does_not_open_the_insights(world):
    from ldn.web.accounts.models import Share

    Share.objects.create(patient=world.mallory, clinician=world.charlie, areas=["journal"])
    response = login(world.charlie).get(f"/insights/patients/{world.mallory.pk}/")
    assert response.status_code == 404


def test_the_patient_nav_links_to_insights(db):
    pat = make_patient("pat")
    html = login(pat).get("/insights/").content.decode()
    assert '<a href="/insights/">Insights</a>' in html


# --- "when will I know?" and numbers that agree with the verdict ------------------------------


def test_from_the_first_week_of_baseline_the_dashboard_says_when_you_will_know(db):
    from ldn.analysis import forecast_detection
    from ldn.web.accounts.clock import local_today
    from ldn.web.insights.loader import load_diary

    pat = make_patient("pat")
    first = (local_today(pat) - START).days - 8  # eight days of baseline, up to yesterday
    scores = [5, 6, 4, 5, 6, 4, 5, 5]
    diary(pat, [(first + i, {"Pain": s}, None, None) for i, s in enumerate(scores)])
    html = login(pat).get("/dashboard/").content.decode()
    assert "When will I know?" in html
    assert "the date by which your diary should show it 4 times in 5 (80% power)" in html
    d = load_diary(pat)
    fc = forecast_detection(
        d.dates, d.scores["Pain"], today=local_today(pat), start=None, settled_start=None
    )
    two = fc.for_change(2.0)
    assert two is not None and two.date is not None
    assert f"<strong>{two.date.day} {two.date:%b %Y}</strong>" in html


def test_a_date_more_than_half_a_year_on_a_settled_dose_away_is_marked_rough(db):
    """The forecast is calibrated up to 26 weeks on a settled dose; a later date says so."""
    from ldn.analysis.simulate import ar1_noise
    from ldn.web.accounts.clock import local_today

    pat = make_patient("pat")
    first = (local_today(pat) - START).days - 56  # eight weeks of baseline, up to yesterday
    scores = np.round(5 + ar1_noise(np.random.default_rng(4), 0.3, 56, 1.5)[0])
    diary(pat, [(first + i, {"Pain": int(s)}, None, None) for i, s in enumerate(scores)])
    html = login(pat).get("/dashboard/").content.decode()
    assert "(rough: over half a year)" in html
    html = login(pat).get("/insights/").content.decode()
    assert "it would take more than 26 weeks on a settled dose to show" in html


def test_a_symptom_the_diary_already_answers_says_so_instead_of_a_date(db):
    pat = make_patient("pat")
    two_phase_diary(pat, before=6, after=3, noise=1)
    html = login(pat).get("/dashboard/").content.decode()
    assert "Already clear: <strong>likely better</strong>" in html


def test_with_two_symptoms_the_interval_shown_is_the_widened_one_the_verdict_uses(db):
    pat = make_patient("pat")
    rng = np.random.default_rng(2)
    days = [
        (i, {"Pain": int(rng.integers(5, 8)), "Fatigue": int(rng.integers(3, 7))}, None, None)
        for i in range(60)
    ]
    days += [
        (
            60 + i,
            {"Pain": int(rng.integers(2, 5)), "Fatigue": int(rng.integers(3, 7))},
            4.5,
            "taken",
        )
        for i in range(90)
    ]
    diary(pat, days, symptoms=("Pain", "Fatigue"))
    html = login(pat).get("/insights/").content.decode()
    assert "a 97.5% interval, widened because 2 symptoms are checked at once" in html
    assert "for pain alone; the verdict also allows for the 2 symptoms checked at once" in html
    assert "Allowing for a trend" in html


def test_where_before_after_cannot_tell_the_page_offers_a_sized_blinded_trial(db):
    pat = make_patient("pat")
    two_phase_diary(pat, before=5, after=5, noise=2)
    html = login(pat).get("/insights/").content.decode()
    assert "No clear change" in html
    assert "Is it LDN, or time and placebo?" in html
    assert "pairs of 2-week periods" in html
