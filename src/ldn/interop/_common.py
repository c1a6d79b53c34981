"""Shared parsing rules for every importer: size, encoding, dates, numbers, symptoms, progress.

Each check adds an `ImportProblem` to a `Problems` list and carries on, so a preview can show the
patient every mistake in the file at once instead of one per attempt.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterable
from datetime import date, time
from functools import cache
from typing import Any

from ldn import datafiles
from ldn.interop.limits import (
    earliest_day,
    field_limit,
    max_file_bytes,
    max_list_items,
    max_new_symptoms,
)
from ldn.interop.records import ImportProblem, ScaleMapping, Severity

ProgressCallback = Callable[[int, int], None]
PROGRESS_EVERY = 250  # rows between two progress reports


@cache
def _data(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = datafiles.load("ldn.interop", f"data/{name}")
    return loaded


def default_max_bytes() -> int:
    """Largest file an import accepts unless the caller passes another limit."""
    return max_file_bytes()


def scale_mapping(name: str) -> ScaleMapping:
    """A conversion table from data/scales.yaml, ready to show in a preview."""
    entry = _data("scales.yaml")[name]
    return ScaleMapping(
        source_scale=str(entry["source_scale"]),
        target_scale=str(entry["target_scale"]),
        table={int(k): int(v) for k, v in entry["table"].items()},
        rule=" ".join(str(entry["rule"]).split()),
        notes=tuple(" ".join(str(e).split()) for e in entry.get("evidence", ())),
    )


class Problems:
    """Collects problems in file order."""

    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(
        self, row: int, column: str, code: str, message: str, severity: Severity = "error"
    ) -> None:
        self.items.append(ImportProblem(row, column, code, message, severity))

    def warn(self, row: int, column: str, code: str, message: str) -> None:
        self.add(row, column, code, message, "warning")

    def sorted(self) -> tuple[ImportProblem, ...]:
        """File order (row, then order found) for display."""
        return tuple(sorted(self.items, key=lambda p: p.row))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)


def decode(data: bytes | str, max_bytes: int | None, problems: Problems) -> str | None:
    """The file as text, or None after recording why it cannot be read at all."""
    limit = default_max_bytes() if max_bytes is None else max_bytes
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > limit:
        problems.add(
            0,
            "",
            "file_too_large",
            f"file is {len(raw):,} bytes; the limit is {limit:,} bytes ({limit / 1048576:.1f} MB)",
        )
        return None
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        problems.add(
            raw.count(b"\n", 0, at) + 1,
            "",
            "bad_encoding",
            f"the file contains a NUL byte (offset {at}), so it is not a text file; "
            "save it as 'CSV UTF-8' (or export it again) and try again",
        )
        return None
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw.count(b"\n", 0, exc.start) + 1
        problems.add(
            row,
            "",
            "bad_encoding",
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as 'CSV UTF-8' and try again",
        )
        return None


def read_rows(text: str, problems: Problems) -> list[list[str]]:
    """All CSV records; a syntax error is recorded with its line and ends the read."""
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows.extend(reader)
    except csv.Error as exc:
        problems.add(reader.line_num, "", "bad_csv", f"the CSV cannot be read here: {exc}")
    return rows


def csv_rows(data: bytes | str, max_bytes: int | None, problems: Problems) -> list[list[str]]:
    """Decode and read a CSV file; an unreadable or header-less file is recorded in `problems`
    and gives no rows (every CSV importer starts here)."""
    text = decode(data, max_bytes, problems)
    rows = read_rows(text, problems) if text is not None else []
    if text is not None and not rows:
        problems.add(1, "", "empty_file", "the file has no header row")
    return rows


def check_header(
    header: list[str], required: Iterable[str], problems: Problems, *, casefold: bool = False
) -> dict[str, int]:
    """Column name -> index; every missing required column is reported."""
    names = [h.strip() for h in header]
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name.casefold() if casefold else name, i)
    for name in required:
        if (name.casefold() if casefold else name) not in index:
            problems.add(
                1, name, "missing_column", f"required column '{name}' is missing from the header"
            )
    return index


def check_date(day: date, today: date, row: int, column: str, problems: Problems) -> bool:
    if day > today:
        problems.add(row, column, "future_date", f"date {day.isoformat()} is after today ({today})")
        return False
    if day < earliest_day():
        problems.add(
            row,
            column,
            "bad_date",
            f"date must be on or after {earliest_day().isoformat()}, got {day.isoformat()}",
        )
        return False
    return True


def check_text(value: str, field: str, row: int, problems: Problems, column: str = "") -> str:
    """The text if it fits its field (limits.yaml), else "" after recording the problem."""
    message = field_limit(field).problem(value, column or field)
    if message is not None:
        problems.add(row, column or field, "text_too_long", message)
        return ""
    return value


def check_items(
    items: tuple[str, ...], field: str, row: int, problems: Problems, column: str
) -> tuple[str, ...]:
    """A list's items, each checked as `field` (tag, ...), and their number."""
    if len(items) > max_list_items():
        problems.add(
            row,
            column,
            "too_many_items",
            f"{column} may hold at most {max_list_items()} items, got {len(items)}",
        )
        return ()
    for item in items:
        message = field_limit(field).problem(item, f"an item of {column}")
        if message is not None:
            problems.add(row, column, "text_too_long", message)
            return ()
    return items


def parse_iso_date(text: str) -> date | None:
    """YYYY-MM-DD, or an ISO timestamp whose date part is used (Flaredown writes DateTimes)."""
    text = text.strip()
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


def parse_clock(text: str) -> time | None:
    match = _CLOCK.match(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return time(hour, minute) if hour < 24 and minute < 60 else None


def parse_number(
    text: str,
    field: str,
    row: int,
    problems: Problems,
    *,
    integer: bool = False,
    column: str | None = None,
) -> float | int | None:
    """A bounded number from a cell; blank is None; anything else wrong is a problem."""
    text = text.strip()
    if not text:
        return None
    column = column or field
    limit = field_limit(field)
    integer = integer or limit.type == "integer"
    try:
        value: float | int = int(text) if integer else float(text)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        problems.add(row, column, "bad_number", f"{field} must be {kind}, got {text!r}")
        return None
    assert limit.min is not None and limit.max is not None  # numeric fields have bounds
    if value != value or not limit.min <= value <= limit.max:
        code = "score_out_of_range" if field == "score" else "value_out_of_range"
        problems.add(
            row,
            column,
            code,
            f"{field} must be between {limit.min:g} and {limit.max:g}, got {text}",
        )
        return None
    return value if integer else limit.stored(value)


def split_list(text: str, sep: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(sep) if item.strip())


def resolve_symptoms(
    seen: dict[str, tuple[int, str]],
    known: Collection[str] | None,
    create_unknown: bool,
    problems: Problems,
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Map names in the file to stored names (case-insensitive match to `known`).

    `seen` maps each name to where it first appears (row, column). Returns the mapping and the
    names that would be created; an unknown name is an error when `create_unknown` is false.
    """
    by_fold = {k.strip().casefold(): k for k in (known or ())}
    mapping: dict[str, str] = {}
    new: list[str] = []
    name_limit = field_limit("symptom_name")
    for name, (row, column) in seen.items():
        match = by_fold.get(name.strip().casefold())
        too_long = name_limit.problem(name.strip(), "a symptom name")
        if match is not None:
            mapping[name] = match
        elif too_long is not None:
            problems.add(row, column, "text_too_long", f"{too_long}: {name.strip()[:40]}…")
        elif known is not None and not create_unknown:
            problems.add(
                row,
                column,
                "unknown_symptom",
                f"symptom '{name}' is not one of your symptoms; add it first or allow new symptoms",
            )
        else:
            mapping[name] = name.strip()
            new.append(name.strip())
    new = list(dict.fromkeys(new))
    if len(new) > max_new_symptoms():
        problems.add(
            0,
            "",
            "too_many_symptoms",
            f"the file would add {len(new)} new symptoms; at most {max_new_symptoms()} may be "
            "added by one file (a wrong format or a misplaced column is the usual cause). "
            "Check the file, or add the symptoms you track first",
        )
    return mapping, tuple(new)


def report(on_progress: ProgressCallback | None, done: int, total: int) -> None:
    if on_progress is not None and (done == total or done % PROGRESS_EVERY == 0):
        on_progress(done, total)


_LDN_NAME = re.compile(r"\b(ldn|naltrexone)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(mg|mcg|µg|ug)?\s*$", re.IGNORECASE)


def is_ldn(name: str) -> bool:
    """Whether a medication's name is (low-dose) naltrexone, as typed in another tracker."""
    return bool(_LDN_NAME.search(name))


def amount_in_mg(amount: str, unit: str = "") -> float | None:
    """'4.5mg', '4.5 mg', '4500 mcg' or a bare number with a unit given apart; else None."""
    match = _AMOUNT.match(amount)
    if not match:
        return None
    value = float(match.group(1).replace(",", "."))
    unit = (match.group(2) or unit or "mg").strip().lower()
    if unit == "mg":
        return value
    if unit in {"mcg", "µg", "ug"}:
        return value / 1000
    return None
