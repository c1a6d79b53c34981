"""The complete JSON export of what a patient owns, and its strict reader.

Shape (version 1): {"format": "ldn-companion", "version": 1, "exported_at": ISO timestamp,
"profile": {...}, "symptoms": [...], "days": [...], "medications": [...], "questionnaires": [...]}.
Days are validated field by field; the other sections are plain JSON objects the web layer owns
and are passed through untouched (only their being lists of objects is checked).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ldn.interop._common import (
    Problems,
    ProgressCallback,
    check_date,
    decode,
    limits,
    parse_clock,
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
    OtherDose,
    day_to_dict,
    with_scores,
)
from ldn.journal.vocabulary import SIDE_EFFECTS

FORMAT = "ldn-companion"
VERSION = 1
SECTIONS = ("profile", "symptoms", "days", "medications", "questionnaires")


@dataclass(frozen=True)
class ExportBundle:
    """Everything in one export; sections other than days are plain dicts owned by the caller."""

    exported_at: datetime
    profile: dict[str, Any] = field(default_factory=dict)
    symptoms: tuple[dict[str, Any], ...] = ()
    days: tuple[DayRecord, ...] = ()
    medications: tuple[dict[str, Any], ...] = ()
    questionnaires: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class JsonImport:
    """A parsed export: the bundle (None when unreadable) and a preview of its days."""

    bundle: ExportBundle | None
    preview: ImportPreview


def export_to_dict(bundle: ExportBundle) -> dict[str, Any]:
    if bundle.exported_at.tzinfo is None:
        raise InteropError("exported_at must be timezone-aware, got a naive datetime")
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": bundle.exported_at.isoformat(),
        "profile": dict(bundle.profile),
        "symptoms": [dict(s) for s in bundle.symptoms],
        "days": [day_to_dict(d) for d in sorted(bundle.days, key=lambda d: d.day)],
        "medications": [dict(m) for m in bundle.medications],
        "questionnaires": [dict(q) for q in bundle.questionnaires],
    }


def write_json(bundle: ExportBundle) -> str:
    """Pretty, stable JSON (sorted keys) so two exports of the same data are byte-identical."""
    try:
        return json.dumps(export_to_dict(bundle), indent=2, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InteropError(f"every section must be plain JSON values: {exc}") from exc


class _DayReader:
    """Validates one day object, adding problems located at day index and field."""

    def __init__(self, obj: Mapping[str, Any], row: int, problems: Problems) -> None:
        self.obj, self.row, self.problems = obj, row, problems

    def bad(self, column: str, code: str, message: str) -> None:
        self.problems.add(self.row, column, code, message)

    def number(self, key: str, integer: bool = False, bounds_key: str | None = None) -> Any:
        value = self.obj.get(key)
        if value is None:
            return None
        ok = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok:
            kind = "a whole number" if integer else "a number"
            self.bad(key, "bad_number", f"{key} must be {kind} or null, got {value!r}")
            return None
        bounds = limits()[bounds_key or ("score" if key.startswith("scores.") else key)]
        if not bounds["min"] <= value <= bounds["max"]:
            code = "score_out_of_range" if key.startswith("scores.") else "value_out_of_range"
            self.bad(
                key,
                code,
                f"{key} must be between {bounds['min']:g} and {bounds['max']:g}, got {value}",
            )
            return None
        return float(value) if not integer else int(value)

    def text(self, key: str) -> str:
        value = self.obj.get(key, "")
        if not isinstance(value, str):
            self.bad(key, "bad_value", f"{key} must be text, got {value!r}")
            return ""
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(key, "bad_value", f"{key} must be a list of text, got {value!r}")
            return ()
        return tuple(value)

    def clock(self, obj: Mapping[str, Any], key: str) -> Any:
        value = obj.get("time")
        if value is None:
            return None
        parsed = parse_clock(value) if isinstance(value, str) else None
        if parsed is None:
            self.bad(key, "bad_time", f"{key} must be HH:MM or null, got {value!r}")
        return parsed

    def status(self, obj: Mapping[str, Any], key: str) -> DoseStatus | None:
        value = obj.get("status")
        if value not in DOSE_STATUSES:
            self.bad(key, "bad_dose_status", f"{key} must be 'taken' or 'missed', got {value!r}")
            return None
        return "taken" if value == "taken" else "missed"

    def dose(self) -> LdnDose | None:
        value = self.obj.get("ldn_dose")
        if value is None:
            return None
        if not isinstance(value, dict):
            self.bad("ldn_dose", "bad_value", f"ldn_dose must be an object or null, got {value!r}")
            return None
        status = self.status(value, "ldn_dose.status")
        mg = _DayReader({"ldn_dose.mg": value.get("mg")}, self.row, self.problems).number(
            "ldn_dose.mg", bounds_key="ldn_dose_mg"
        )
        at = self.clock(value, "ldn_dose.time")
        return None if status is None else LdnDose(status, mg, at)

    def other_doses(self) -> tuple[OtherDose, ...]:
        value = self.obj.get("other_doses", [])
        if not isinstance(value, list):
            self.bad("other_doses", "bad_value", f"other_doses must be a list, got {value!r}")
            return ()
        out = []
        for i, item in enumerate(value):
            key = f"other_doses[{i}]"
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                self.bad(key, "bad_value", f"{key} must be an object with a name, got {item!r}")
                continue
            status = self.status(item, f"{key}.status")
            amount = item.get("amount", "")
            at = self.clock(item, f"{key}.time")
            if status is not None:
                out.append(OtherDose(item["name"], status, str(amount), at))
        return tuple(out)


def _read_day(obj: Any, row: int, today: date, problems: Problems) -> DayRecord | None:
    if not isinstance(obj, dict):
        problems.add(row, "", "bad_value", f"each day must be an object, got {obj!r}")
        return None
    r = _DayReader(obj, row, problems)
    raw_date = obj.get("date")
    day = None
    if isinstance(raw_date, str) and len(raw_date) == 10:
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            day = None
    if day is None:
        r.bad("date", "bad_date", f"date must be YYYY-MM-DD, got {raw_date!r}")
    elif not check_date(day, today, row, "date", problems):
        day = None
    scores_obj = obj.get("scores", {})
    scores: dict[str, int] = {}
    if not isinstance(scores_obj, dict):
        r.bad("scores", "bad_value", f"scores must be an object, got {scores_obj!r}")
    else:
        scoring = _DayReader({f"scores.{k}": v for k, v in scores_obj.items()}, row, problems)
        for name in scores_obj:
            value = scoring.number(f"scores.{name}", integer=True)
            if value is not None:
                scores[name] = value
    side_effects = r.strings("side_effects")
    for code in side_effects:
        if code not in SIDE_EFFECTS:
            r.bad(
                "side_effects",
                "unknown_side_effect",
                f"side effect must be one of {sorted(SIDE_EFFECTS)}, got {code!r}",
            )
    record = DayRecord(
        day=day or date.min,
        scores=scores,
        side_effects=side_effects,
        side_effect_other=r.text("side_effect_other"),
        sleep_hours=r.number("sleep_hours"),
        sleep_quality=r.number("sleep_quality", True),
        stress=r.number("stress", True),
        exercise_minutes=r.number("exercise_minutes", True),
        water_litres=r.number("water_litres"),
        alcohol_units=r.number("alcohol_units"),
        diet_notes=r.text("diet_notes"),
        tags=r.strings("tags"),
        therapies=r.strings("therapies"),
        cycle_day=r.number("cycle_day", True),
        notes=r.text("notes"),
        dose=r.dose(),
        other_doses=r.other_doses(),
    )
    return record if day is not None else None


def _objects(doc: Mapping[str, Any], key: str, problems: Problems) -> tuple[dict[str, Any], ...]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.add(0, key, "bad_section", f"'{key}' must be a list of objects")
        return ()
    return tuple(value)


def read_json(
    data: bytes | str,
    *,
    today: date,
    known_symptoms: Collection[str] | None = None,
    create_unknown: bool = True,
    max_bytes: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> JsonImport:
    """Parse an export; `row` in problems is the day's position in "days" (first day = 1)."""
    problems = Problems()
    text = decode(data, max_bytes, problems)
    doc: Any = None
    if text is not None:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.add(exc.lineno, "", "bad_json", f"not valid JSON: {exc.msg}")
    if doc is not None and not isinstance(doc, dict):
        problems.add(0, "", "bad_json", "the top level must be an object")
        doc = None
    if isinstance(doc, dict):
        if doc.get("format") != FORMAT:
            problems.add(0, "format", "wrong_format", f"format must be '{FORMAT}'")
        if doc.get("version") != VERSION:
            problems.add(
                0,
                "version",
                "unsupported_version",
                f"version must be {VERSION}, got {doc.get('version')!r}",
            )
    if doc is None or problems.has_errors:
        return JsonImport(None, ImportPreview("json", (), problems.sorted(), 0))
    profile = doc.get("profile", {})
    if not isinstance(profile, dict):
        problems.add(0, "profile", "bad_section", "'profile' must be an object")
        profile = {}
    raw_days = doc.get("days", [])
    if not isinstance(raw_days, list):
        problems.add(0, "days", "bad_section", "'days' must be a list")
        raw_days = []
    days: list[DayRecord] = []
    first: dict[date, int] = {}
    for i, obj in enumerate(raw_days, start=1):
        record = _read_day(obj, i, today, problems)
        if record is not None and record.day in first:
            problems.add(
                i,
                "date",
                "duplicate_day",
                f"{record.day} already appears as day {first[record.day]}",
            )
        elif record is not None:
            first[record.day] = i
            days.append(record)
        report(on_progress, i, len(raw_days))
    seen: dict[str, tuple[int, str]] = {}
    for i, d in enumerate(days, start=1):
        for name in d.scores:
            seen.setdefault(name, (i, f"scores.{name}"))
    mapping, new = resolve_symptoms(seen, known_symptoms, create_unknown, problems)
    days = [
        with_scores(d, {mapping[k]: v for k, v in d.scores.items() if k in mapping}) for d in days
    ]
    exported_at = _timestamp(doc.get("exported_at"), problems)
    bundle = ExportBundle(
        exported_at=exported_at,
        profile=profile,
        symptoms=_objects(doc, "symptoms", problems),
        days=tuple(days),
        medications=_objects(doc, "medications", problems),
        questionnaires=_objects(doc, "questionnaires", problems),
    )
    preview = ImportPreview(
        source="json",
        days=tuple(days),
        problems=problems.sorted(),
        rows_read=len(raw_days),
        symptoms=tuple(dict.fromkeys(mapping.values())),
        new_symptoms=new,
    )
    return JsonImport(bundle, preview)


def _timestamp(value: Any, problems: Problems) -> datetime:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        problems.add(
            0,
            "exported_at",
            "bad_value",
            f"exported_at must be an ISO timestamp with offset, got {value!r}",
        )
        return datetime.min.replace(tzinfo=None)
    return parsed
