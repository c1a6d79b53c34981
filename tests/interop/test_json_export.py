"""The complete JSON export: exact round trips and a strict, versioned reader."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings

from ldn.interop import (
    FORMAT,
    LIST_SECTIONS,
    VERSION,
    DayRecord,
    ExportBundle,
    InteropError,
    export_schema,
    read_json,
    schema_problems,
    write_json,
)
from tests.interop.strategies import TODAY, journals

STAMP = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


def bundle(days: list[DayRecord]) -> ExportBundle:
    return ExportBundle(
        exported_at=STAMP,
        account={"username": "alice", "email": "alice@example.org"},
        profile={"time_zone": "Europe/Berlin", "conditions": ["fibromyalgia"]},
        symptoms=({"name": "Pain", "key": "pain", "active": True, "position": 0},),
        days=tuple(days),
        medications=({"name": "LDN", "is_ldn": True, "dose": "4.5", "unit": "mg"},),
        questionnaires=(
            {
                "instrument": "phq9",
                "answers": {"phq9_1": 1},
                "total": 7,
                "band": "mild",
                "flags": [],
                "completed_on": "2024-02-01",
            },
        ),  # fmt: skip
        visit_questions=({"text": "Can I go to 6 mg?", "created_at": "2024-02-01T10:00:00+00:00"},),
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
    assert result.bundle.visit_questions == original.visit_questions
    assert result.bundle.exported_at == STAMP
    assert schema_problems(json.loads(write_json(original))) == []


def test_the_export_names_its_format_and_version():
    doc = json.loads(write_json(bundle([])))
    assert (doc["format"], doc["version"]) == (FORMAT, VERSION) == ("ldn-companion", 1)
    assert set(doc) == {
        "format", "version", "exported_at", "account", "profile", "days", "reminder_settings",
        *LIST_SECTIONS,
    }  # fmt: skip
    assert set(doc) == set(export_schema()["required"])


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("null", "the top level must be an object holding an export, got null"),
        ("[]", "the top level must be an object holding an export, got list"),
        ('"export"', "the top level must be an object holding an export, got text"),
        (
            "[" * 10_000 + "]" * 10_000,
            "the JSON nests too deeply; an export nests at most 20 levels",
        ),
        (
            '{"format": "ldn-companion", "version": 1, "profile": '
            + '{"a": ' * 30
            + "1"
            + "}" * 31,
            "the JSON nests 32 levels deep; an export nests at most 20",
        ),
    ],
)
def test_odd_or_deep_json_is_one_clear_problem_and_nothing_is_read(text, message):
    result = read_json(text, today=TODAY)
    assert result.bundle is None and result.preview.days == ()
    assert [(p.code, p.message) for p in result.preview.problems] == [("bad_json", message)]


def test_a_section_of_the_wrong_shape_is_refused_with_its_path():
    doc = json.loads(write_json(bundle([])))
    doc["plan_versions"] = [{"number": "one"}]
    problems = read_json(json.dumps(doc), today=TODAY).preview.problems
    assert problems[0].code == "bad_section"
    assert problems[0].message.startswith("plan_versions[0]")


def test_days_before_1900_and_over_long_text_are_refused():
    doc = json.loads(write_json(bundle([])))
    doc["days"] = [
        {"date": "0001-01-01"},
        {"date": "2024-01-01", "notes": "x" * 10_001, "tags": ["t" * 101]},
        {"date": "2024-01-02", "other_doses": [{"name": "n" * 121, "status": "taken"}]},
    ]
    found = [
        (p.row, p.column, p.code, p.message)
        for p in read_json(json.dumps(doc), today=TODAY).preview.problems
    ]
    assert found == [
        (1, "date", "bad_date", "date must be on or after 1900-01-01, got 0001-01-01"),
        (2, "tags", "bad_value", "an item of tags must be at most 100 characters, got 101"),
        (2, "notes", "text_too_long", "notes must be at most 10000 characters, got 10,001"),
        (
            3, "other_doses[0].name", "text_too_long",
            "other_doses[0].name must be at most 120 characters, got 121",
        ),
    ]  # fmt: skip


def test_the_docs_describe_every_section_of_the_export():
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "import-export.md").read_text("utf-8")
    undocumented = [name for name in LIST_SECTIONS if f"| `{name}` |" not in docs]
    assert undocumented == []
