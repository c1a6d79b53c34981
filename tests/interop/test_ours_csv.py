"""Our CSV: exact round trips, and every problem in a broken file reported with row and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings

from ldn.interop import COLUMNS, DayRecord, InteropError, LdnDose, read_csv, write_csv
from tests.interop.strategies import TODAY, journals

FIXTURES = Path(__file__).parent / "fixtures"


@settings(max_examples=150, deadline=None)
@given(journals())
def test_writing_then_reading_our_csv_gives_back_the_same_days(journal):
    names, days = journal
    text = write_csv(days, names)
    preview = read_csv(text.encode("utf-8"), today=TODAY)
    assert preview.problems == ()
    assert list(preview.days) == sorted(days, key=lambda d: d.day)
    assert preview.symptoms == tuple(names)


def test_the_header_lists_the_documented_columns_then_one_column_per_symptom():
    text = write_csv([DayRecord(date(2024, 1, 1), {"Pain": 3})], ["Pain", "Brain fog"])
    assert text.splitlines()[0].split(",") == [*COLUMNS, "symptom:Pain", "symptom:Brain fog"]


def test_list_items_containing_the_separator_survive_the_round_trip():
    day = DayRecord(date(2024, 1, 1), tags=("rain; cold", "a\\b", "x"))
    text = write_csv([day])
    assert "rain\\; cold;a\\\\b;x" in text
    assert read_csv(text, today=TODAY).days == (day,)


def test_the_writer_refuses_a_score_for_a_symptom_without_a_column():
    with pytest.raises(InteropError, match="symptoms must be among"):
        write_csv([DayRecord(date(2024, 1, 1), {"Itch": 2})], ["Pain"])


def test_a_utf8_bom_from_a_spreadsheet_is_accepted():
    text = write_csv([DayRecord(date(2024, 1, 1), {"Pain": 3})])
    preview = read_csv(b"\xef\xbb\xbf" + text.encode("utf-8"), today=TODAY)
    assert preview.ok and preview.days[0].scores == {"Pain": 3}


def test_a_latin1_file_is_refused_with_the_row_of_the_first_bad_byte():
    text = write_csv([DayRecord(date(2024, 1, 1), notes="café")])
    preview = read_csv(text.encode("latin-1"), today=TODAY)
    assert [(p.row, p.code) for p in preview.problems] == [(2, "bad_encoding")]
    assert preview.days == ()


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    text = write_csv([DayRecord(date(2024, 1, 1), notes="x" * 500)])
    preview = read_csv(text, today=TODAY, max_bytes=100)
    assert [p.code for p in preview.problems] == ["file_too_large"]
    assert "limit is 100 bytes" in preview.problems[0].message


def test_the_date_column_is_required():
    preview = read_csv("day,notes,symptom:Pain\n2024-01-01,,3\n", today=TODAY)
    assert [(p.column, p.code) for p in preview.errors] == [("date", "missing_column")]
    assert not preview.ok


def test_a_file_with_only_some_columns_reads_the_rest_as_empty():
    preview = read_csv("date,notes,symptom:Pain\n2024-01-01,,3\n", today=TODAY)
    assert preview.ok
    assert preview.days == (DayRecord(date(2024, 1, 1), {"Pain": 3}),)


def test_extra_columns_are_tolerated_with_a_warning():
    text = write_csv([DayRecord(date(2024, 1, 1), {"Pain": 3})])
    lines = text.splitlines()
    text = "\n".join([lines[0] + ",mood_app_id", lines[1] + ",17"])
    preview = read_csv(text, today=TODAY)
    assert preview.ok
    assert [(p.column, p.code, p.severity) for p in preview.problems] == [
        ("mood_app_id", "ignored_column", "warning")
    ]


def test_the_broken_fixture_reports_every_problem_with_row_column_and_code():
    preview = read_csv(
        (FIXTURES / "ours_broken.csv").read_bytes(),
        today=date(2025, 1, 1),
        known_symptoms=["Pain", "fatigue"],
        create_unknown=False,
    )
    found = [(p.row, p.column, p.code) for p in preview.errors]
    assert found == [
        (1, "symptom:Itch", "unknown_symptom"),
        (3, "date", "bad_date"),  # 2024-02-30
        (4, "date", "future_date"),  # 2099-01-01
        (5, "symptom:Pain", "score_out_of_range"),  # 11
        (5, "stress", "value_out_of_range"),  # 12
        (6, "date", "duplicate_day"),  # second 2024-01-05
        (7, "side_effects", "unknown_side_effect"),  # itching
        (7, "sleep_hours", "bad_number"),  # seven
        (7, "dose_status", "bad_dose_status"),  # maybe
        (8, "dose_time", "bad_time"),  # 25:00
        (8, "dose_status", "bad_dose_status"),  # dose without a status
    ]
    assert not preview.ok


def test_known_symptoms_match_whatever_the_case_and_take_the_stored_name():
    preview = read_csv(
        (FIXTURES / "ours_broken.csv").read_bytes(),
        today=date(2025, 1, 1),
        known_symptoms=["pain", "Fatigue", "Itch"],
        create_unknown=False,
    )
    first = preview.days[0]
    assert first.scores == {"pain": 4, "Fatigue": 5, "Itch": 1}
    assert first.dose == LdnDose("taken", 1.5, first.dose.at if first.dose else None)
    assert preview.new_symptoms == ()


def test_unknown_symptoms_are_listed_as_new_when_creation_is_allowed():
    preview = read_csv(
        (FIXTURES / "ours_broken.csv").read_bytes(),
        today=date(2025, 1, 1),
        known_symptoms=["Pain"],
    )
    assert preview.new_symptoms == ("Fatigue", "Itch")


def test_progress_is_reported_up_to_the_total_number_of_rows():
    days = [DayRecord(date(2020, 1, 1).fromordinal(737425 + i)) for i in range(600)]
    calls: list[tuple[int, int]] = []
    read_csv(write_csv(days), today=TODAY, on_progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (600, 600)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) < 600  # throttled


def test_the_same_day_with_the_same_values_has_the_same_key_and_fingerprint():
    a = DayRecord(date(2024, 1, 1), {"Pain": 3}, tags=("x",))
    b = read_csv(write_csv([a]), today=TODAY).days[0]
    c = DayRecord(date(2024, 1, 1), {"Pain": 4}, tags=("x",))
    assert a.key == b.key == c.key == "2024-01-01"
    assert a.fingerprint == b.fingerprint != c.fingerprint
