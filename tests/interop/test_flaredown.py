"""Flaredown's user export, laid out as in their DataExportJob (rubyforgood/Flaredown,
backend/app/jobs/data_export_job.rb and spec/jobs/data_export_job_spec.rb)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ldn.interop import LdnDose, OtherDose, parse_flaredown

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2025, 1, 1)


def good():
    return parse_flaredown((FIXTURES / "flaredown_good.csv").read_bytes(), today=TODAY)


def test_a_good_flaredown_file_imports_every_day_without_errors():
    preview = good()
    assert preview.ok
    assert [d.day for d in preview.days] == [date(2021, 3, d) for d in (1, 2, 3)]
    assert preview.symptoms == ("Fibromyalgia", "Fatigue", "Brain fog")


def test_ratings_0_to_4_become_our_0_to_10_by_the_shown_table():
    preview = good()
    table = preview.mapping.table if preview.mapping else {}
    first, _, third = preview.days
    # file row 2: Fibromyalgia 3, Fatigue 2, Brain fog 1
    assert first.scores == {"Fibromyalgia": table[3], "Fatigue": table[2], "Brain fog": table[1]}
    assert third.scores == {"Fibromyalgia": table[4], "Brain fog": table[0]}


def test_treatment_cells_follow_flaredowns_taken_and_not_taken_words():
    first, second, third = good().days
    assert first.dose == LdnDose("taken", 1.5)
    assert third.dose == LdnDose("missed")
    assert first.other_doses == (OtherDose("Ibuprofen", "taken", "200mg"),)
    assert second.other_doses == (OtherDose("Ibuprofen", "missed", ""),)
    assert first.therapies == ("meditation",) and third.therapies == ()


def test_tags_and_foods_are_split_on_flaredowns_semicolon():
    first = good().days[0]
    assert first.tags == ("stress", "poor sleep")
    assert first.diet_notes == "Foods: Coffee; Bread"


def test_the_preview_says_what_each_column_was_read_as():
    roles = good().column_roles
    assert roles["Fibromyalgia"] == "symptom rating 0-4"
    assert roles["Low dose naltrexone"] == "LDN dose"
    assert roles["Ibuprofen"] == "other medication"
    assert roles["Weather humidity"] == "weather (not imported)"


def test_a_column_can_be_forced_to_be_a_treatment():
    text = "Date,Vitamin D,Tags,Foods\n2021-03-01,1000,,\n"
    guessed = parse_flaredown(text, today=TODAY)  # all-numeric: read as a 0-4 rating
    assert [(p.column, p.code) for p in guessed.errors] == [("Vitamin D", "score_out_of_range")]
    preview = parse_flaredown(text, today=TODAY, treatment_columns=["vitamin d"])
    assert preview.ok
    assert preview.days[0].other_doses == (OtherDose("Vitamin D", "taken", "1000"),)


def test_the_broken_flaredown_file_reports_each_problem():
    preview = parse_flaredown((FIXTURES / "flaredown_broken.csv").read_bytes(), today=TODAY)
    assert [(p.row, p.column, p.code) for p in preview.problems] == [
        (1, "My extra column", "ignored_column"),
        (2, "Pain", "score_out_of_range"),  # 5 on a 0-4 scale
        (3, "Date", "bad_date"),  # 03/02/2021
        (4, "Date", "duplicate_day"),
        (5, "Date", "future_date"),
    ]
    assert [p.severity for p in preview.problems][:1] == ["warning"]
    assert not preview.ok


def test_a_file_without_the_required_columns_is_refused():
    preview = parse_flaredown("Date,Pain\n2021-03-01,2\n", today=TODAY)
    assert {(p.column, p.code) for p in preview.problems} == {
        ("Tags", "missing_column"),
        ("Foods", "missing_column"),
    }
    assert preview.days == ()


def test_unknown_conditions_are_errors_when_new_symptoms_are_not_allowed():
    preview = parse_flaredown(
        (FIXTURES / "flaredown_good.csv").read_bytes(),
        today=TODAY,
        known_symptoms=["fatigue", "Brain Fog"],
        create_unknown=False,
    )
    assert [(p.row, p.column, p.code) for p in preview.errors] == [
        (1, "Fibromyalgia", "unknown_symptom")
    ]


def test_a_dose_time_is_never_invented():
    # Flaredown's export has no time of day for treatments
    assert [d.dose.at for d in good().days if d.dose] == [None, None, None]
