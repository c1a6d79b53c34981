"""Bearable's long-format export, laid out as in real exports (andrewmiller0728/
BearableDataProcessing Bearable_Export_20210728.csv) and parsers of it."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from ldn.interop import LdnDose, OtherDose, parse_bearable

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2025, 1, 1)


def good():
    return parse_bearable((FIXTURES / "bearable_good.csv").read_bytes(), today=TODAY)


def test_a_good_bearable_file_becomes_one_record_per_day():
    preview = good()
    assert preview.ok
    assert [d.day for d in preview.days] == [date(2020, 9, 22), date(2020, 9, 23)]
    assert preview.rows_read == 14


def test_a_symptom_rated_several_times_a_day_keeps_the_worst_rating():
    table = good().mapping.table  # type: ignore[union-attr]
    first, second = good().days
    # Headache: Mild (1) in the morning, Severe (3) in the afternoon
    assert first.scores == {"Headache": table[3], "Fatigue": table[2]}
    assert second.scores == {"Back (lower) pain": table[4]}  # "(Unbearable)"


def test_ldn_in_meds_becomes_the_dose_and_other_meds_are_kept_apart():
    first = good().days[0]
    assert first.dose == LdnDose("taken", 4.5, time(22, 30))
    assert first.other_doses == (OtherDose("Ibuprofen", "taken", "600 mg", time(3, 4)),)
    assert good().medications == ("Ibuprofen",)


def test_sleep_factors_food_and_notes_land_in_the_matching_fields():
    first, second = good().days
    assert first.tags == ("Sedentary", "With family")
    assert first.diet_notes == "Mostly healthy | Caffeine"
    assert first.notes == "Mood: 6 (Meh | Anxious)"  # mood is kept as text, not converted
    assert second.sleep_hours == 7.25  # "7:15"
    assert second.sleep_quality == good().mappings[1].table[2]  # "Poor"
    assert second.tags == ("Trouble falling asleep",)
    assert second.notes == "after gardening\nGratitude: A sunny walk"


def test_categories_we_do_not_import_are_listed_as_warnings():
    assert [(p.row, p.code, p.severity) for p in good().problems] == [
        (15, "ignored_category", "warning")
    ]


def test_newer_exports_with_a_formatted_date_column_are_read():
    text = (
        "date,date formatted,weekday,time of day,category,rating/amount,detail,notes\n"
        '"5th Jan 2024","2024-01-05","Friday","am","Symptom","1","Neck pain (Mild)",""\n'
    )
    preview = parse_bearable(text, today=TODAY)
    assert preview.ok
    assert preview.days[0].day == date(2024, 1, 5)


def test_the_broken_bearable_file_reports_each_problem():
    preview = parse_bearable(
        (FIXTURES / "bearable_broken.csv").read_bytes(),
        today=TODAY,
        known_symptoms=["headache"],
        create_unknown=False,
    )
    assert [(p.row, p.column, p.code) for p in preview.problems] == [
        (2, "rating/amount", "score_out_of_range"),  # 7 on a 0-4 scale
        (3, "date", "bad_date"),  # 31st Sep
        (4, "date", "future_date"),  # 2999
        (5, "detail", "unknown_symptom"),  # Itchy skin
        (6, "rating/amount", "bad_number"),  # sleep "seven"
    ]


def test_a_file_missing_bearables_columns_names_each_one():
    preview = parse_bearable("date,category\n", today=TODAY)
    missing = sorted(p.column for p in preview.problems if p.code == "missing_column")
    assert missing == ["detail", "notes", "rating/amount", "time of day"]
