"""One entry point for every import format, so the web page and the CLI offer the same list."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date

from ldn.interop.bearable import parse_bearable
from ldn.interop.flaredown import parse_flaredown
from ldn.interop.json_export import read_json
from ldn.interop.ours_csv import read_csv
from ldn.interop.records import ImportPreview, InteropError

FORMATS: tuple[tuple[str, str], ...] = (
    ("ours", "LDN Companion CSV"),
    ("json", "LDN Companion JSON export"),
    ("flaredown", "Flaredown CSV export"),
    ("bearable", "Bearable CSV export"),
)


def parse_import(
    fmt: str,
    data: bytes | str,
    *,
    today: date,
    known_symptoms: Collection[str] | None = None,
    max_bytes: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportPreview:
    """Parse `data` in format `fmt` into a preview; unknown symptoms become new ones."""
    csv_parsers = {"ours": read_csv, "flaredown": parse_flaredown, "bearable": parse_bearable}
    if fmt == "json":
        return read_json(
            data, today=today, known_symptoms=known_symptoms, max_bytes=max_bytes,
            on_progress=on_progress,
        ).preview  # fmt: skip
    if fmt not in csv_parsers:
        names = ", ".join(name for name, _ in FORMATS)
        raise InteropError(f"format must be one of {names}, got {fmt!r}")
    return csv_parsers[fmt](
        data, today=today, known_symptoms=known_symptoms, max_bytes=max_bytes,
        on_progress=on_progress,
    )  # fmt: skip
