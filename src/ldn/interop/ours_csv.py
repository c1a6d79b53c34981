"""Our own CSV: one row per day, documented in docs/import-export.md, written and read back exactly.

Lists (side effects, therapies, tags) are joined with ';'; a literal ';' or '\\' inside an item
is escaped with a backslash. Other medications are not in the CSV (they are in the JSON export).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date

from ldn.interop._common import (
    Problems,
    ProgressCallback,
    check_date,
    check_header,
    check_items,
    check_text,
    csv_rows,
    parse_clock,
    parse_iso_date,
    parse_number,
    report,
    resolve_symptoms,
)
from ldn.interop.records import (
    DOSE_STATUSES,
    DayRecord,
    DoseStatus,
    ImportPreview,
    InteropError,
    LdnDose,
)
from ldn.journal.vocabulary import SIDE_EFFECTS

COLUMNS: tuple[str, ...] = (
    "date",
    "ldn_dose_mg",
    "dose_status",
    "dose_time",
    "sleep_hours",
    "sleep_quality",
    "stress",
    "exercise_minutes",
    "water_litres",
    "alcohol_units",
    "side_effects",
    "side_effect_other",
    "therapies",
    "tags",
    "cycle_day",
    "diet_notes",
    "notes",
)
# Only the date is required: a file may carry any subset of the other columns (a spreadsheet
# of a few symptoms is a valid import); absent columns read as empty.
REQUIRED: tuple[str, ...] = ("date",)
SYMPTOM_PREFIX = "symptom:"
LIST_SEPARATOR = ";"


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


# OWASP "CSV Injection": a cell starting with = + - @ tab or carriage return may run as a formula
# in a spreadsheet, so the writer puts a ' before it. Plain numbers (-5, +1.5) are left intact:
# they are not formulas, and our numeric columns are never negative anyway. A text that already
# starts with quotes before such a character gets one more quote, so the reader, which removes
# one quote from any cell of that shape, gives back exactly what was written.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def escape_formula(cell: str) -> str:
    """The cell as written to a CSV, safe to open in a spreadsheet."""
    if _FORMULA.match(cell) and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def unescape_formula(cell: str) -> str:
    """Inverse of `escape_formula`."""
    return cell[1:] if _ESCAPED.match(cell) and not _PLAIN_NUMBER.match(cell[1:]) else cell


def join_list(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(i.replace("\\", "\\\\").replace(";", "\\;") for i in items)


_ITEM = re.compile(r"(?:\\.|[^;\\])+|;")


def split_escaped(text: str) -> tuple[str, ...]:
    """Inverse of `join_list`; surrounding spaces and empty items are dropped."""
    items: list[str] = []
    current = ""
    for token in _ITEM.findall(text):
        if token == ";":
            items.append(current)
            current = ""
        else:
            current += re.sub(r"\\(.)", r"\1", token)
    items.append(current)
    return tuple(i.strip() for i in items if i.strip())


def write_csv(days: Iterable[DayRecord], symptoms: Sequence[str] | None = None) -> str:
    """The CSV text for these days, oldest first; `symptoms` fixes the symptom columns' order."""
    ordered = sorted(days, key=lambda d: d.day)
    names = (
        list(symptoms) if symptoms is not None else sorted({s for d in ordered for s in d.scores})
    )
    wanted = set(names)
    for name in names:
        if not name.strip():
            raise InteropError("symptom names must not be blank")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*COLUMNS, *(SYMPTOM_PREFIX + n for n in names)])
    for d in ordered:
        extra = set(d.scores) - wanted
        if extra:
            raise InteropError(
                f"symptoms must be among the CSV's columns, got {sorted(extra)} on {d.day}"
            )
        dose = d.dose
        writer.writerow(
            [
                d.day.isoformat(),
                _num(dose.mg) if dose else "",
                dose.status if dose else "",
                dose.at.strftime("%H:%M") if dose and dose.at else "",
                _num(d.sleep_hours),
                _num(d.sleep_quality),
                _num(d.stress),
                _num(d.exercise_minutes),
                _num(d.water_litres),
                _num(d.alcohol_units),
                join_list(d.side_effects),
                escape_formula(d.side_effect_other),
                escape_formula(join_list(d.therapies)),
                escape_formula(join_list(d.tags)),
                _num(d.cycle_day),
                escape_formula(d.diet_notes),
                escape_formula(d.notes),
                *(_num(d.scores.get(n)) for n in names),
            ]
        )
    return out.getvalue()


def _parse_dose(cells: dict[str, str], row: int, problems: Problems) -> LdnDose | None:
    status_text = cells["dose_status"].strip().lower()
    mg = parse_number(cells["ldn_dose_mg"], "ldn_dose_mg", row, problems)
    at = None
    if cells["dose_time"].strip():
        at = parse_clock(cells["dose_time"])
        if at is None:
            problems.add(
                row,
                "dose_time",
                "bad_time",
                f"dose_time must be HH:MM (24-hour), got {cells['dose_time']!r}",
            )
    if not status_text:
        if cells["ldn_dose_mg"].strip() or cells["dose_time"].strip():
            problems.add(
                row,
                "dose_status",
                "bad_dose_status",
                "dose_status must be 'taken' or 'missed' when a dose or time is given, got ''",
            )
        return None
    if status_text not in DOSE_STATUSES:
        problems.add(
            row,
            "dose_status",
            "bad_dose_status",
            f"dose_status must be 'taken' or 'missed', got {cells['dose_status']!r}",
        )
        return None
    status: DoseStatus = "taken" if status_text == "taken" else "missed"
    return LdnDose(status=status, mg=None if mg is None else float(mg), at=at)


def _parse_row(
    cells: dict[str, str],
    row: int,
    symptom_columns: dict[str, str],
    today: date,
    problems: Problems,
) -> DayRecord | None:
    day = parse_iso_date(cells["date"]) if len(cells["date"].strip()) == 10 else None
    if day is None:
        problems.add(row, "date", "bad_date", f"date must be YYYY-MM-DD, got {cells['date']!r}")
    elif not check_date(day, today, row, "date", problems):
        day = None
    side_effects = split_escaped(cells["side_effects"])
    for code in side_effects:
        if code not in SIDE_EFFECTS:
            problems.add(
                row,
                "side_effects",
                "unknown_side_effect",
                f"side effect must be one of {sorted(SIDE_EFFECTS)}, got {code!r}",
            )
    scores: dict[str, int] = {}
    for column, name in symptom_columns.items():
        value = parse_number(cells[column], "score", row, problems, integer=True, column=column)
        if value is not None:
            scores[name] = int(value)

    def number(field: str, integer: bool = False) -> float | int | None:
        return parse_number(cells[field], field, row, problems, integer=integer)

    sleep_hours = number("sleep_hours")
    water = number("water_litres")
    alcohol = number("alcohol_units")
    record = DayRecord(
        day=day or date.min,
        scores=scores,
        side_effects=side_effects,
        side_effect_other=check_text(
            cells["side_effect_other"], "side_effect_other", row, problems
        ),
        sleep_hours=None if sleep_hours is None else float(sleep_hours),
        sleep_quality=_int(number("sleep_quality", True)),
        stress=_int(number("stress", True)),
        exercise_minutes=_int(number("exercise_minutes", True)),
        water_litres=None if water is None else float(water),
        alcohol_units=_int(alcohol),
        diet_notes=check_text(cells["diet_notes"], "diet_notes", row, problems),
        tags=check_items(split_escaped(cells["tags"]), "tag", row, problems, "tags"),
        therapies=check_items(split_escaped(cells["therapies"]), "tag", row, problems, "therapies"),
        cycle_day=_int(number("cycle_day", True)),
        notes=check_text(cells["notes"], "notes", row, problems),
        dose=_parse_dose(cells, row, problems),
    )
    return record if day is not None else None


def _int(value: float | int | None) -> int | None:
    return None if value is None else int(value)


def read_csv(
    data: bytes | str,
    *,
    today: date,
    known_symptoms: Collection[str] | None = None,
    create_unknown: bool = True,
    max_bytes: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportPreview:
    """Parse our CSV into a preview listing every problem; nothing is stored."""
    problems = Problems()
    rows = csv_rows(data, max_bytes, problems)
    if not rows:
        return ImportPreview("ours", (), problems.sorted(), 0)
    header = [unescape_formula(h.strip()) for h in rows[0]]
    index = check_header(header, REQUIRED, problems)
    seen: dict[str, tuple[int, str]] = {}
    for name in header:
        if name.startswith(SYMPTOM_PREFIX):
            symptom = name[len(SYMPTOM_PREFIX) :].strip()
            if not symptom:
                problems.add(
                    1, name, "bad_column", "a symptom column needs a name after 'symptom:'"
                )
            elif symptom.casefold() in {s.casefold() for s in seen}:
                problems.add(1, name, "duplicate_column", f"column '{name}' appears twice")
            else:
                seen[symptom] = (1, name)
        elif name not in COLUMNS:
            problems.warn(1, name, "ignored_column", f"column '{name}' is not ours and is ignored")
    mapping, new = resolve_symptoms(seen, known_symptoms, create_unknown, problems)
    if any(p.code == "missing_column" for p in problems.items):
        return ImportPreview("ours", (), problems.sorted(), len(rows) - 1)
    symptom_columns = {seen[s][1]: mapping[s] for s in seen if s in mapping}
    wanted = [*COLUMNS, *symptom_columns]
    positions = [index.get(c) for c in wanted]
    days: list[DayRecord] = []
    first_row: dict[date, int] = {}
    total = len(rows) - 1
    for number_, raw in enumerate(rows[1:], start=2):
        if not raw or (len(raw) == 1 and not raw[0].strip()):
            report(on_progress, number_ - 1, total)
            continue
        if len(raw) != len(header):
            problems.add(
                number_,
                "",
                "bad_row",
                f"row has {len(raw)} fields but the header has {len(header)}",
            )
            raw = (raw + [""] * len(header))[: len(header)]
        cells = dict(
            zip(
                wanted,
                ("" if p is None else unescape_formula(raw[p]) for p in positions),
                strict=True,
            )
        )
        record = _parse_row(cells, number_, symptom_columns, today, problems)
        if record is not None:
            if record.day in first_row:
                problems.add(
                    number_,
                    "date",
                    "duplicate_day",
                    f"{record.day} already appears on row {first_row[record.day]}",
                )
            else:
                first_row[record.day] = number_
                days.append(record)
        report(on_progress, number_ - 1, total)
    return ImportPreview(
        source="ours",
        days=tuple(days),
        problems=problems.sorted(),
        rows_read=total,
        symptoms=tuple(symptom_columns.values()),
        new_symptoms=new,
    )
