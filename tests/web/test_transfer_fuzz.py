"""Fuzzing every importer through the real upload, preview and confirm pages: whatever the file,
no page answers 500, and a refused file changes no row of any table."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    """Each test's uploads wait in a folder of its own."""
    settings.DATA_DIR = tmp_path


FIXTURES = Path(__file__).resolve().parents[1] / "interop" / "fixtures"
EXAMPLES = 100  # per importer; the closing note records the total
CASES: list[str] = []

OURS_HEADER = (
    "date,ldn_dose_mg,dose_status,dose_time,sleep_hours,sleep_quality,stress,exercise_minutes,"
    "water_litres,alcohol_units,side_effects,side_effect_other,therapies,tags,cycle_day,"
    "diet_notes,notes,symptom:Pain"
)
SEEDS = {
    "ours": (
        OURS_HEADER + "\n2024-01-01,1.5,taken,22:05,7,5,3,20,1.5,0,headache,,yoga,rain,3,,ok,4\n"
    ).encode(),
    "flaredown": (FIXTURES / "flaredown_good.csv").read_bytes(),
    "bearable": (FIXTURES / "bearable_good.csv").read_bytes(),
    "json": json.dumps(
        {
            "format": "ldn-companion",
            "version": 1,
            "exported_at": "2025-01-01T00:00:00+00:00",
            "profile": {"time_zone": "UTC"},
            "days": [
                {
                    "date": "2024-01-01",
                    "scores": {"Pain": 3},
                    "notes": "x",
                    "other_doses": [
                        {"name": "Ibuprofen", "status": "taken", "amount": "1", "time": None}
                    ],
                }
            ],
            "visit_questions": [{"text": "q", "created_at": "2025-01-01T00:00:00+00:00"}],
        }
    ).encode(),  # fmt: skip
}
# Pieces that broke things before: NUL, long names and text, old and future dates, deep or odd
# JSON, formulas, separators, quotes, many columns.
NASTY = [
    b"\x00", b"x" * 300, b"y" * 20_000, b"0001-01-01", b"2999-12-31", b"1899-12-31", b"null",
    b"[" * 10_000, b'{"a":' * 50, b"=HYPERLINK(\"http://x\")", b",", b";", b"\"", b"\n", b"\r\n",
    b"-1", b"1e309", b"NaN", b"99999999999999999999", b"\xff\xfe", b"symptom:" + b"P" * 100,
    b",".join(b"symptom:S%d" % i for i in range(40)), b"{}", b"[]", b'"days": 5',
    b'"days": [{"date": "2024-02-30"}]', b'"profile": {"time_zone": "Mars/Olympus"}',
    b'"symptoms": [{"name": "' + b"n" * 81 + b'"}]',
    b'"plan_versions": [{"number": 1, "name": "x", "start": "2024-01-01", "steps": [], "pauses": [], "author": "a", "reason": "r", "created_at": "2024-01-01T00:00:00Z"}]',
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = seed
    for _ in range(draw(st.integers(1, 4))):
        piece = draw(st.sampled_from(NASTY) | st.binary(max_size=40))
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, min(40, len(data) - at)))
        data = data[:at] + piece + data[at + cut :]
    return data


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
nasty_text = (
    st.sampled_from(
        [
            "a\x00b",
            "x" * 81,
            "y" * 10_001,
            "=1+2",
            "",
            " ",
            "Pain",
            "pain",
            "ϴ",
            "\r\n",
            '"',
            "1e309",
        ]
    )
    | _text
)
dates = st.dates(dt.date(1990, 1, 1), dt.date(2025, 12, 31)).map(dt.date.isoformat) | (
    st.sampled_from(["0001-01-01", "1899-12-31", "2999-01-01", "2024-02-30", ""]) | _text
)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogatepass")


@st.composite
def structured(draw: st.DrawFn, importer: str) -> bytes:
    """A well-formed file of the importer's layout whose values are drawn from nasty ones."""
    n = draw(st.integers(1, 4))
    names = draw(
        st.lists(st.sampled_from(["Pain", "Fatigue", "ϴ"]) | nasty_text, min_size=1, max_size=3)
    )
    if importer == "ours":
        # mostly valid numbers, so that a file often reaches the database with nasty text
        number = st.sampled_from(["", "0", "7", "10"]) | st.sampled_from(["11", "x", "1e309", "-1"])
        header = ["date", "notes", "tags", "sleep_hours", *(f"symptom:{x}" for x in names)]
        rows = [[draw(dates), draw(nasty_text), draw(nasty_text), draw(number),
                 *(draw(number) for _ in names)] for _ in range(n)]  # fmt: skip
        return _csv([header, *rows])
    if importer == "flaredown":
        header = ["Date", *names, "Ibuprofen", "Tags", "Foods"]
        rows = [[draw(dates), *(draw(st.sampled_from(["0", "4", "5", "-1", ""]) | nasty_text) for _ in names),
                 draw(nasty_text), draw(nasty_text), draw(nasty_text)] for _ in range(n)]  # fmt: skip
        return _csv([header, *rows])
    if importer == "bearable":
        header = ["date", "weekday", "time of day", "category", "rating/amount", "detail", "notes"]
        rows = [[draw(dates), "Mon", draw(st.sampled_from(["am", "3:04", "", "99:99"])),
                 draw(st.sampled_from(["Symptom", "Meds/Supplements", "Sleep", "Factors", "Notes"])),
                 draw(st.sampled_from(["1", "4", "7:15", "x", ""])), draw(nasty_text) + draw(st.sampled_from(["", " (Mild)", " (mg)"])),
                 draw(nasty_text)] for _ in range(n)]  # fmt: skip
        return _csv([header, *rows])
    value = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | nasty_text,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(nasty_text, inner, max_size=3),
        max_leaves=8,
    )
    day = st.fixed_dictionaries(
        {"date": dates},
        optional={"notes": value, "scores": st.dictionaries(nasty_text, value, max_size=3),
                  "tags": value, "other_doses": value, "sleep_hours": value, "ldn_dose": value},
    )  # fmt: skip
    doc = draw(st.fixed_dictionaries(
        {"format": st.just("ldn-companion"), "version": st.just(1),
         "exported_at": st.just("2025-01-01T00:00:00+00:00"), "days": st.lists(day, max_size=3)},
        optional={name: value for name in ("profile", "symptoms", "medications", "questionnaires",
                  "plan_versions", "trials", "visit_questions", "follow_ups", "reminder_settings")},
    ))  # fmt: skip
    return json.dumps(doc).encode("utf-8", errors="surrogatepass")


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _check(client: Client, fmt: str, data: bytes) -> None:
    before = row_counts()
    upload = client.post(
        reverse("journal:import"),
        {"format": fmt, "file": SimpleUploadedFile("fuzz.dat", data)},
        follow=True,
    )
    assert upload.status_code == 200
    page = upload.content.decode()
    refused = "Nothing was imported" in page or "Nothing new" in page
    confirm = client.post(reverse("journal:import_confirm"), follow=True)
    assert confirm.status_code == 200
    if refused:
        assert row_counts() == before
    CASES.append(fmt)


@pytest.mark.parametrize("importer", sorted(SEEDS))
def test_no_file_makes_a_page_fail_or_a_refused_file_write(importer):
    patient = make_patient("fuzz")
    client = Client()
    client.force_login(patient)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=True,
    )
    @given(
        data=mutated(SEEDS[importer]) | structured(importer),
        fmt=st.sampled_from(["auto", importer]),
    )
    def run(data: bytes, fmt: str) -> None:
        with transaction.atomic():
            _check(client, fmt, data)
            transaction.set_rollback(True)

    run()


def test_report_the_number_of_cases(capsys):
    with capsys.disabled():
        print(f"\nfuzz cases run through upload+confirm: {len(CASES)}")
