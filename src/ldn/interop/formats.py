"""One entry point for every import format, so the web page and the CLI offer the same list, and
the recognition of a file's format from its first line."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection
from datetime import date

from ldn.interop._common import Problems
from ldn.interop.bearable import REQUIRED as BEARABLE_COLUMNS
from ldn.interop.bearable import parse_bearable
from ldn.interop.flaredown import REQUIRED as FLAREDOWN_COLUMNS
from ldn.interop.flaredown import parse_flaredown
from ldn.interop.json_export import read_json
from ldn.interop.ours_csv import COLUMNS, SYMPTOM_PREFIX, read_csv
from ldn.interop.records import ImportPreview, InteropError

FORMATS: tuple[tuple[str, str], ...] = (
    ("ours", "LDN Companion CSV"),
    ("json", "LDN Companion JSON export"),
    ("flaredown", "Flaredown CSV export"),
    ("bearable", "Bearable CSV export"),
)
AUTO = "auto"
LABELS = dict(FORMATS)
_SNIFF_BYTES = 64 * 1024


def detect_format(data: bytes | str) -> str | None:
    """Which of FORMATS the file is, read from its first line (header or JSON brace); None when
    it is none of them. Our CSV's lower-case `date` and Flaredown's `Date`/`Tags`/`Foods` tell
    the two apart; Bearable's long layout has `category` and `rating/amount`."""
    raw = data[:_SNIFF_BYTES]
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    text = text.removeprefix("\ufeff").lstrip()
    if text.startswith(("{", "[", '"')) or text.rstrip() in ("null", "true", "false"):
        return "json"
    first = text.splitlines()[0] if text else ""
    try:
        header = [h.strip() for h in next(csv.reader(io.StringIO(first)), [])]
    except csv.Error:
        return None
    folded = {h.casefold() for h in header}
    if {c.casefold() for c in BEARABLE_COLUMNS} <= folded:
        return "bearable"
    if {c.casefold() for c in FLAREDOWN_COLUMNS} <= folded and "Date" in header:
        return "flaredown"
    ours = set(COLUMNS) - {"date"}
    if "date" in header and (
        ours & set(header) or any(h.startswith(SYMPTOM_PREFIX) for h in header)
    ):
        return "ours"
    return None


def _recognition(fmt: str, found: str | None) -> ImportPreview | None:
    """One clear refusal when the file is not in the chosen format (instead of a row error for
    every line), or None when it may be read as `fmt`."""
    problems = Problems()
    if found is None:
        expected = "our CSV (date, symptom:… columns), our JSON export, Flaredown or Bearable"
        message = (
            f"this file is not in a format we recognise ({LABELS.get(fmt, 'any format')} "
            f"expected); the first line should be the header of {expected}"
        )
        if fmt != AUTO:
            return None  # let the chosen reader list what exactly is missing
        problems.add(1, "", "unknown_format", message)
    elif fmt not in (AUTO, found):
        problems.add(
            1,
            "",
            "wrong_format",
            f"this file looks like a {LABELS[found]}, not the format chosen ({LABELS[fmt]}): "
            f'choose "{LABELS[found]}" (or "Recognise the format") and upload it again',
        )
    else:
        return None
    return ImportPreview(found or "unknown", (), problems.sorted(), 0)


def parse_import(
    fmt: str,
    data: bytes | str,
    *,
    today: date,
    known_symptoms: Collection[str] | None = None,
    max_bytes: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportPreview:
    """Parse `data` in format `fmt` ("auto" recognises it) into a preview; unknown symptoms
    become new ones. A file of another format gets one `wrong_format` problem."""
    csv_parsers = {"ours": read_csv, "flaredown": parse_flaredown, "bearable": parse_bearable}
    if fmt != AUTO and fmt not in LABELS:
        names = ", ".join([AUTO, *LABELS])
        raise InteropError(f"format must be one of {names}, got {fmt!r}")
    found = detect_format(data)
    refused = _recognition(fmt, found)
    if refused is not None:
        return refused
    fmt = found if fmt == AUTO and found is not None else fmt
    if fmt == "json":
        return read_json(
            data, today=today, known_symptoms=known_symptoms, max_bytes=max_bytes,
            on_progress=on_progress,
        ).preview  # fmt: skip
    return csv_parsers[fmt](
        data, today=today, known_symptoms=known_symptoms, max_bytes=max_bytes,
        on_progress=on_progress,
    )  # fmt: skip
