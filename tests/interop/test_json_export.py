"""The complete JSON export: exact round trips and a strict, versioned reader."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings

from ldn.interop import (
    FORMAT,
    VERSION,
    DayRecord,
    ExportBundle,
    InteropError,
    read_json,
    write_json,
)
from tests.interop.strategies import TODAY, journals

STAMP = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


def bundle(days: list[DayRecord]) -> ExportBundle:
    return ExportBundle(
        exported_at=STAMP,
        profile={"username": "alice", "time_zone": "Europe/Berlin"},
        symptoms=({"name": "Pain", "preset": "pain"},),
        days=tuple(days),
        medications=({"name": "LDN", "dose": 4.5, "unit": "mg", "start": "2024-01-01"},),
        questionnaires=({"instrument": "phq9", "date": "2024-02-01", "total": 7},),
    )


@settings(max_examples=150, deadline=None)
@given(journals(with_other_doses=True))
def test_writing_then_reading_the_json_export_gives_back_everything(journal):
    _, days = journal
    original = bundle(days)
    result = read_json(write_json(original).encode("utf-8"), today=TODAY)
    assert result.preview.problems == ()
    assert result.bundle is not None
    assert result.bundle.days == tuple(sorted(days, key=lambda d: d.day))
    assert result.bundle.profile == original.profile
    assert result.bundle.medications == original.medications
    assert result.bundle.questionnaires == original.questionnaires
    assert result.bundle.exported_at == STAMP


def test_the_export_names_its_format_and_version():
    doc = json.loads(write_json(bundle([])))
    assert (doc["format"], doc["version"]) == (FORMAT, VERSION) == ("ldn-companion", 1)
    assert set(doc) == {
        "format", "version", "exported_at", "profile", "symptoms", "days", "medications",
        "questionnaires",
    }  # fmt: skip


def test_two_exports_of_the_same_data_are_byte_identical():
    days = [DayRecord(date(2024, 1, 2), {"b": 1, "a": 2}), DayRecord(date(2024, 1, 1))]
    assert write_json(bundle(days)) == write_json(bundle(list(reversed(days))))


def test_a_naive_timestamp_is_refused():
    with pytest.raises(InteropError, match="exported_at must be timezone-aware"):
        write_json(ExportBundle(exported_at=datetime(2025, 1, 1)))


def test_a_newer_version_is_refused_rather_than_misread():
    doc = json.loads(write_json(bundle([])))
    doc["version"] = 2
    result = read_json(json.dumps(doc), today=TODAY)
    assert result.bundle is None
    assert [(p.column, p.code) for p in result.preview.problems] == [
        ("version", "unsupported_version")
    ]


def test_bad_days_are_each_reported_with_their_position_and_field():
    doc = json.loads(write_json(bundle([DayRecord(date(2024, 1, 1))])))
    doc["days"] += [
        {"date": "2024-13-01"},
        {"date": "2024-01-02", "scores": {"Pain": 11}, "stress": "high"},
        {"date": "2024-01-01"},
        {"date": "2030-01-01", "ldn_dose": {"status": "skipped", "mg": 4.5}},
    ]
    found = [
        (p.row, p.column, p.code) for p in read_json(json.dumps(doc), today=TODAY).preview.problems
    ]
    assert found == [
        (2, "date", "bad_date"),
        (3, "scores.Pain", "score_out_of_range"),
        (3, "stress", "bad_number"),
        (4, "date", "duplicate_day"),
        (5, "date", "future_date"),
        (5, "ldn_dose.status", "bad_dose_status"),
    ]


def test_text_that_is_not_json_is_reported_with_its_line():
    result = read_json('{\n "format": "ldn-companion",\n oops\n}', today=TODAY)
    assert [(p.row, p.code) for p in result.preview.problems] == [(3, "bad_json")]
