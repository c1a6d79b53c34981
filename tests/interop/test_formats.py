"""A file's format is recognised from its first line; a file of another format gets one message."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ldn.interop import detect_format, parse_import, write_csv
from ldn.interop.records import DayRecord

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2025, 6, 30)
OURS = write_csv([DayRecord(date(2024, 1, 1), {"Pain": 3})]).encode()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ((FIXTURES / "bearable_good.csv").read_bytes(), "bearable"),
        ((FIXTURES / "flaredown_good.csv").read_bytes(), "flaredown"),
        ((FIXTURES / "flaredown_broken.csv").read_bytes(), "flaredown"),
        ((FIXTURES / "ours_broken.csv").read_bytes(), "ours"),
        (OURS, "ours"),
        (b"\xef\xbb\xbfdate,symptom:Pain\n2024-01-01,3\n", "ours"),
        (json.dumps({"format": "ldn-companion"}).encode(), "json"),
        (b"  \n[1, 2]", "json"),
        (b"name,value\nx,1\n", None),
        (b"", None),
    ],
)
def test_the_format_is_recognised_from_the_first_line(data, expected):
    assert detect_format(data) == expected


def test_a_bearable_file_read_as_ours_is_one_message_naming_bearable():
    bearable = (FIXTURES / "bearable_good.csv").read_bytes()
    preview = parse_import("ours", bearable, today=TODAY)
    assert [(p.code, p.message) for p in preview.problems] == [
        (
            "wrong_format",
            "this file looks like a Bearable CSV export, not the format chosen (LDN Companion "
            'CSV): choose "Bearable CSV export" (or "Recognise the format") and upload it again',
        )
    ]
    assert preview.days == ()


def test_recognising_the_format_reads_the_file_as_what_it_is():
    preview = parse_import("auto", (FIXTURES / "flaredown_good.csv").read_bytes(), today=TODAY)
    assert preview.source == "flaredown" and preview.ok and len(preview.days) == 3


def test_an_unrecognised_file_is_refused_with_what_was_expected():
    preview = parse_import("auto", b"name,value\nx,1\n", today=TODAY)
    assert [p.code for p in preview.problems] == ["unknown_format"]
    assert "our CSV (date, symptom:… columns), our JSON export, Flaredown or Bearable" in (
        preview.problems[0].message
    )


def test_more_than_30_new_symptoms_in_one_file_are_refused_with_the_reason():
    names = [f"S{i}" for i in range(31)]
    data = "date," + ",".join(f"symptom:{n}" for n in names) + "\n2024-01-01" + ",1" * 31
    preview = parse_import("ours", data.encode(), today=TODAY, known_symptoms=[])
    assert [p.code for p in preview.errors] == ["too_many_symptoms"]
    assert preview.errors[0].message.startswith(
        "the file would add 31 new symptoms; at most 30 may be added by one file"
    )


def test_a_nul_byte_is_one_clear_problem():
    preview = parse_import("ours", b"date,notes\n2024-01-01,a\x00b\n", today=TODAY)
    assert [(p.row, p.code) for p in preview.problems] == [(2, "bad_encoding")]
    assert "NUL byte" in preview.problems[0].message
