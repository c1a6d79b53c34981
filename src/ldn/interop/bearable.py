"""Import of Bearable's CSV export (long format: one row per entry, many rows per day).

Layout, read in real exports and parsers of them (see docs/import-export.md): `date` (e.g.
"22nd Sep 2020"), optional `date formatted` (YYYY-MM-DD, newer exports), `weekday`, `time of day`
("pre", "am", "mid", "pm", "all day", "HH:MM" or blank), `category`, `rating/amount`, `detail`
(" | "-joined values) and `notes`. Symptoms are "Name (Mild)" rated 1, "(Moderate)" 2,
"(Severe)" 3, "(Unbearable)" 4; several rows a day (per time of day) become one daily score, the
worst of the day (our choice). Mood and energy are kept as notes, not converted: their scales
were not verified.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from ldn.interop._common import (
    Problems,
    ProgressCallback,
    amount_in_mg,
    check_date,
    check_header,
    check_items,
    check_text,
    csv_rows,
    is_ldn,
    parse_clock,
    parse_iso_date,
    report,
    resolve_symptoms,
    scale_mapping,
    split_list,
)
from ldn.interop.records import DayRecord, ImportPreview, LdnDose, OtherDose

REQUIRED = ("date", "time of day", "category", "rating/amount", "detail", "notes")
_SEVERITY = re.compile(r"^(.*?)\s*\((none|mild|moderate|severe|unbearable)\)\s*$", re.IGNORECASE)
_MED = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_LONG_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})$")
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})$")
NOTE_CATEGORIES = {"mood": "Mood", "energy": "Energy", "gratitudes": "Gratitude"}
DIET_CATEGORIES = {"food diary", "food diary factors"}


@dataclass
class _Day:
    first_row: int
    raw_scores: dict[str, int] = field(default_factory=dict)
    sleep_minutes: int | None = None
    sleep_quality: int | None = None
    tags: dict[str, None] = field(default_factory=dict)
    diet: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dose: LdnDose | None = None
    others: list[OtherDose] = field(default_factory=list)


@lru_cache(maxsize=4096)  # a day's date repeats on every one of its rows
def parse_bearable_date(text: str) -> date | None:
    """'22nd Sep 2020' (older exports) or YYYY-MM-DD."""
    text = text.strip()
    match = _LONG_DATE.match(text)
    if match:
        try:
            return datetime.strptime(f"{match[1]} {match[2].title()} {match[3]}", "%d %b %Y").date()
        except ValueError:
            return None
    return parse_iso_date(text) if len(text) == 10 else None


class _Reader:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.days: dict[date, _Day] = {}
        self.symptom_rows: dict[str, tuple[int, str]] = {}
        self.medications: dict[str, None] = {}
        self.ignored: set[str] = set()
        self.seen_rows: set[tuple[str, ...]] = set()
        self.quality = scale_mapping("bearable_sleep_quality")

    def row(self, n: int, day: date, c: dict[str, str]) -> None:
        key = (day.isoformat(), c["time of day"], c["category"], c["rating/amount"], c["detail"])
        if key in self.seen_rows:
            self.problems.warn(n, "", "duplicate_row", "the same entry appears earlier; kept once")
            return
        self.seen_rows.add(key)
        d = self.days.setdefault(day, _Day(n))
        category = c["category"].strip().casefold()
        amount, detail = c["rating/amount"].strip(), c["detail"].strip()
        if category == "symptom":
            self.symptom(n, d, amount, detail)
        elif category == "sleep":
            self.sleep(n, d, amount)
        elif category == "sleep quality":
            value = int(amount) if amount.isdigit() else None
            if value not in self.quality.table:
                self.problems.add(
                    n,
                    "rating/amount",
                    "value_out_of_range",
                    f"sleep quality is 1-5, got {amount!r}",
                )
            elif value is not None:
                d.sleep_quality = self.quality.table[value]
        elif category == "meds/supplements":
            self.medication(n, d, amount, detail, c["time of day"])
        elif category in DIET_CATEGORIES:
            d.diet.append(detail)
        elif category.endswith("factors"):
            d.tags.update(dict.fromkeys(split_list(detail, "|")))
        elif category in NOTE_CATEGORIES:
            label = NOTE_CATEGORIES[category]
            text = f"{label}: {amount}".rstrip(": ") + (f" ({detail})" if detail else "")
            if category == "gratitudes":
                text = f"{label}: {detail}"
            d.notes.append(text)
        elif category not in self.ignored:
            self.ignored.add(category)
            self.problems.warn(
                n, "category", "ignored_category", f"category '{c['category']}' is not imported"
            )
        note = c["notes"].strip()
        if note and note.strip(". "):
            d.notes.append(note)

    def symptom(self, n: int, d: _Day, amount: str, detail: str) -> None:
        match = _SEVERITY.match(detail)
        name = (match[1] if match else detail).strip()
        if not name:
            self.problems.add(n, "detail", "bad_value", "a symptom row needs the symptom's name")
            return
        if not re.fullmatch(r"-?\d+", amount) or not 0 <= int(amount) <= 4:
            self.problems.add(
                n,
                "rating/amount",
                "score_out_of_range",
                f"Bearable symptom ratings are 0-4, got {amount!r} for '{name}'",
            )
            return
        self.symptom_rows.setdefault(name, (n, "detail"))
        d.raw_scores[name] = max(d.raw_scores.get(name, 0), int(amount))

    def sleep(self, n: int, d: _Day, amount: str) -> None:
        match = _HOURS.match(amount)
        if match is None or int(match[2]) >= 60:
            self.problems.add(
                n, "rating/amount", "bad_number", f"sleep must be H:MM, got {amount!r}"
            )
            return
        d.sleep_minutes = (d.sleep_minutes or 0) + int(match[1]) * 60 + int(match[2])

    def medication(self, n: int, d: _Day, amount: str, detail: str, when: str) -> None:
        match = _MED.match(detail)
        name, unit = (match[1], match[2]) if match else (detail, "")
        at = parse_clock(when)
        if is_ldn(name):
            mg = amount_in_mg(amount, unit) if amount else None
            if amount and mg is None:
                self.problems.warn(
                    n, "rating/amount", "unparsed_dose", f"LDN dose {amount} {unit} is not in mg"
                )
            d.dose = LdnDose("taken", mg, at)
        else:
            name = check_text(name.strip(), "other_dose_name", n, self.problems, "detail")
            text = check_text(f"{amount} {unit}".strip(), "other_dose_amount", n, self.problems)
            if name:
                self.medications[name] = None
                d.others.append(OtherDose(name, "taken", text, at))


def parse_bearable(
    data: bytes | str,
    *,
    today: date,
    known_symptoms: Collection[str] | None = None,
    create_unknown: bool = True,
    max_bytes: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportPreview:
    """Parse a Bearable export into a preview of days, with every problem found."""
    problems = Problems()
    mapping = scale_mapping("zero_to_four")
    rows = csv_rows(data, max_bytes, problems)
    if not rows:
        return ImportPreview("bearable", (), problems.sorted(), 0, mappings=(mapping,))
    header = [h.strip().casefold() for h in rows[0]]
    index = check_header(header, REQUIRED, problems, casefold=True)
    if problems.has_errors:
        return ImportPreview("bearable", (), problems.sorted(), len(rows) - 1, mappings=(mapping,))
    formatted = index.get("date formatted")
    reader = _Reader(problems)
    body = rows[1:]
    for n, raw in enumerate(body, start=2):
        report(on_progress, n - 1, len(body))
        if not any(c.strip() for c in raw):
            continue
        raw = (raw + [""] * len(header))[: len(header)]
        cells = {name: raw[index[name]] for name in REQUIRED}
        day = parse_bearable_date(raw[formatted]) if formatted is not None else None
        day = day or parse_bearable_date(cells["date"])
        if day is None:
            problems.add(n, "date", "bad_date", f"date cannot be read: {cells['date']!r}")
        elif check_date(day, today, n, "date", problems):
            reader.row(n, day, cells)
    names, new = resolve_symptoms(reader.symptom_rows, known_symptoms, create_unknown, problems)
    days = []
    for day, d in sorted(reader.days.items()):
        measured = d.sleep_minutes is not None or d.sleep_quality is not None
        if not (measured or d.raw_scores or d.tags or d.diet or d.notes or d.dose or d.others):
            continue  # only ignored or broken rows that day
        hours = None if d.sleep_minutes is None else round(d.sleep_minutes / 60, 2)
        if hours is not None and hours > 24:
            problems.add(
                d.first_row, "rating/amount", "value_out_of_range", f"{hours} h of sleep on {day}"
            )
            hours = None
        days.append(
            DayRecord(
                day=day,
                scores={names[k]: mapping.table[v] for k, v in d.raw_scores.items() if k in names},
                sleep_hours=hours,
                sleep_quality=d.sleep_quality,
                tags=check_items(tuple(d.tags), "tag", d.first_row, problems, "detail"),
                diet_notes=check_text("\n".join(d.diet), "diet_notes", d.first_row, problems),
                notes=check_text("\n".join(d.notes), "notes", d.first_row, problems),
                dose=d.dose,
                other_doses=tuple(d.others),
            )
        )
    return ImportPreview(
        source="bearable",
        days=tuple(days),
        problems=problems.sorted(),
        rows_read=len(body),
        symptoms=tuple(dict.fromkeys(names.values())),
        new_symptoms=new,
        medications=tuple(reader.medications),
        mappings=(mapping, reader.quality),
    )
