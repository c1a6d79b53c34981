"""URL converter for ISO dates, so /journal/checkin/2026-11-24/ names a day."""

from __future__ import annotations

import datetime as dt


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)  # ValueError → Django answers 404

    def to_url(self, value: dt.date) -> str:
        return value.isoformat()
