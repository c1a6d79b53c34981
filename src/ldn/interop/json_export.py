"""The complete JSON export of what a patient owns, and its strict reader.

Shape (version 1) and every section are described by data/export.schema.json and in
docs/import-export.md. Days are validated field by field here, with a located problem for each
mistake; every other section is validated against the schema (the web layer owns their
content and restores them).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import cache
from typing import Any

import jsonschema

from ldn import datafiles
from ldn.interop._common import (
    Problems,
    ProgressCallback,
    check_date,
    decode,
    parse_clock,
    report,
    resolve_symptoms,
)
from ldn.interop.limits import field_limit, max_json_depth, max_list_items
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
# Sections that hold a list of objects, in the order the docs describe them.
LIST_SECTIONS = (
    "symptoms",
    "revisions",
    "questionnaires",
    "medications",
    "acknowledgements",
    "plan_versions",
    "follow_ups",
    "visit_questions",
    "clinician_notes",
    "trials",
    "shares",
    "access_log",
    "living_days",
    "timing_experiments",
    "timing_changes",
    "step_decisions",
    "thyroid_records",
    "planned_procedures",
    "bottles",
)
MAX_SCHEMA_PROBLEMS = 20  # a broken section is reported this many times at most


@cache
def export_schema() -> dict[str, Any]:
    """The JSON Schema of the export (data/export.schema.json)."""
    loaded: dict[str, Any] = datafiles.load("ldn.interop", "data/export.schema.json")
    return loaded


@dataclass(frozen=True)
class ExportBundle:
    """Everything in one export; sections other than days are plain dicts owned by the caller."""

    exported_at: datetime
    account: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    days: tuple[DayRecord, ...] = ()
    reminder_settings: dict[str, Any] | None = None
    symptoms: tuple[dict[str, Any], ...] = ()
    revisions: tuple[dict[str, Any], ...] = ()
    questionnaires: tuple[dict[str, Any], ...] = ()
    medications: tuple[dict[str, Any], ...] = ()
    acknowledgements: tuple[dict[str, Any], ...] = ()
    plan_versions: tuple[dict[str, Any], ...] = ()
    follow_ups: tuple[dict[str, Any], ...] = ()
    visit_questions: tuple[dict[str, Any], ...] = ()
    clinician_notes: tuple[dict[str, Any], ...] = ()
    trials: tuple[dict[str, Any], ...] = ()
    shares: tuple[dict[str, Any], ...] = ()
    access_log: tuple[dict[str, Any], ...] = ()
    living_days: tuple[dict[str, Any], ...] = ()
    timing_experiments: tuple[dict[str, Any], ...] = ()
    timing_changes: tuple[dict[str, Any], ...] = ()
    step_decisions: tuple[dict[str, Any], ...] = ()
    thyroid_records: tuple[dict[str, Any], ...] = ()
    planned_procedures: tuple[dict[str, Any], ...] = ()
    bottles: tuple[dict[str, Any], ...] = ()

    def sizes(self) -> dict[str, int]:
        """Items per section (profile and settings count 1 when present), for reports."""
        out: dict[str, int] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "exported_at":
                continue
            out[f.name] = len(value) if isinstance(value, tuple) else int(bool(value))
        return out


@dataclass(frozen=True)
class JsonImport:
    """A parsed export: the bundle (None when unreadable) and a preview of its days."""

    bundle: ExportBundle | None
    preview: ImportPreview


def export_to_dict(bundle: ExportBundle) -> dict[str, Any]:
    if bundle.exported_at.tzinfo is None:
        raise InteropError("exported_at must be timezone-aware, got a naive datetime")
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": bundle.exported_at.isoformat(),
        "account": dict(bundle.account),
        "profile": dict(bundle.profile),
        "days": [day_to_dict(d) for d in sorted(bundle.days, key=lambda d: d.day)],
        "reminder_settings": None
        if bundle.reminder_settings is None
        else dict(bundle.reminder_settings),
    }
    for name in LIST_SECTIONS:
        doc[name] = [dict(item) for item in getattr(bundle, name)]
    return doc


def write_json(bundle: ExportBundle) -> str:
    """Pretty, stable JSON (sorted keys) so two exports of the same data are byte-identical."""
    try:
        return json.dumps(export_to_dict(bundle), indent=2, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InteropError(f"every section must be plain JSON values: {exc}") from exc


def schema_problems(doc: Any) -> list[str]:
    """Where `doc` breaks the export schema, as 'path: reason' lines (empty when valid)."""
    validator = jsonschema.Draft202012Validator(
        export_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    out = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.path))):
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        out.append(f"{path.lstrip('.') or 'file'}: {error.message[:200]}")
    return out


def _depth(doc: Any) -> int:
    """How deeply `doc` nests (iterative, so a hostile file cannot exhaust the stack)."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return deepest


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
        limit = field_limit(bounds_key or ("score" if key.startswith("scores.") else key))
        integer = integer or limit.type == "integer"
        ok = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok:
            kind = "a whole number" if integer else "a number"
            self.bad(key, "bad_number", f"{key} must be {kind} or null, got {value!r}"[:300])
            return None
        assert limit.min is not None and limit.max is not None  # numeric fields have bounds
        if not limit.min <= value <= limit.max:
            code = "score_out_of_range" if key.startswith("scores.") else "value_out_of_range"
            self.bad(
                key,
                code,
                f"{key} must be between {limit.min:g} and {limit.max:g}, got {value}",
            )
            return None
        return limit.stored(float(value)) if not integer else int(value)

    def text(self, key: str, limit_key: str | None = None) -> str:
        value = self.obj.get(key, "")
        if not isinstance(value, str):
            self.bad(key, "bad_value", f"{key} must be text, got {value!r}"[:300])
            return ""
        message = field_limit(limit_key or key).problem(value, key)
        if message is not None:
            self.bad(key, "text_too_long", message)
            return ""
        return value

    def strings(self, key: str, item_limit: str | None = None) -> tuple[str, ...]:
        value = self.obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(key, "bad_value", f"{key} must be a list of text, got {value!r}"[:300])
            return ()
        if len(value) > max_list_items():
            self.bad(
                key,
                "too_many_items",
                f"{key} may hold at most {max_list_items()} items, got {len(value)}",
            )
            return ()
        for item in value if item_limit else ():
            message = field_limit(item_limit or "").problem(item, f"an item of {key}")
            if message is not None or not item.strip():
                self.bad(key, "bad_value", message or f"{key} must not hold empty items")
                return ()
        return tuple(value)

    def clock(self, obj: Mapping[str, Any], key: str) -> Any:
        value = obj.get("time")
        if value is None:
            return None
        parsed = parse_clock(value) if isinstance(value, str) else None
        if parsed is None:
            self.bad(key, "bad_time", f"{key} must be HH:MM or null, got {value!r}"[:300])
        return parsed

    def status(self, obj: Mapping[str, Any], key: str) -> DoseStatus | None:
        value = obj.get("status")
        if value not in DOSE_STATUSES:
            self.bad(
                key, "bad_dose_status", f"{key} must be 'taken' or 'missed', got {value!r}"[:300]
            )
            return None
        return "taken" if value == "taken" else "missed"

    def dose(self) -> LdnDose | None:
        value = self.obj.get("ldn_dose")
        if value is None:
            return None
        if not isinstance(value, dict):
            self.bad(
                "ldn_dose", "bad_value", f"ldn_dose must be an object or null, got {value!r}"[:300]
            )
            return None
        status = self.status(value, "ldn_dose.status")
        mg = _DayReader({"ldn_dose.mg": value.get("mg")}, self.row, self.problems).number(
            "ldn_dose.mg", bounds_key="ldn_dose_mg"
        )
        at = self.clock(value, "ldn_dose.time")
        return None if status is None else LdnDose(status, mg, at)

    def other_doses(self) -> tuple[OtherDose, ...]:
        value = self.obj.get("other_doses", [])
        if not isinstance(value, list) or len(value) > max_list_items():
            self.bad(
                "other_doses",
                "bad_value",
                f"other_doses must be a list of at most {max_list_items()} objects",
            )
            return ()
        out = []
        for i, item in enumerate(value):
            key = f"other_doses[{i}]"
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                self.bad(
                    key, "bad_value", f"{key} must be an object with a name, got {item!r}"[:300]
                )
                continue
            status = self.status(item, f"{key}.status")
            texts = _DayReader(
                {f"{key}.name": item["name"], f"{key}.amount": item.get("amount", "")},
                self.row,
                self.problems,
            )
            name = texts.text(f"{key}.name", "other_dose_name").strip()
            amount = texts.text(f"{key}.amount", "other_dose_amount")
            at = self.clock(item, f"{key}.time")
            if not item["name"].strip():
                self.bad(f"{key}.name", "bad_value", f"{key}.name must not be empty")
            elif status is not None and name:
                out.append(OtherDose(name, status, amount, at))
        return tuple(out)


def _read_day(obj: Any, row: int, today: date, problems: Problems) -> DayRecord | None:
    if not isinstance(obj, dict):
        problems.add(row, "", "bad_value", f"each day must be an object, got {obj!r}"[:300])
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
        r.bad("date", "bad_date", f"date must be YYYY-MM-DD, got {raw_date!r}"[:300])
    elif not check_date(day, today, row, "date", problems):
        day = None
    scores_obj = obj.get("scores", {})
    scores: dict[str, int] = {}
    if not isinstance(scores_obj, dict):
        r.bad("scores", "bad_value", f"scores must be an object, got {scores_obj!r}"[:300])
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
                f"side effect must be one of {sorted(SIDE_EFFECTS)}, got {code!r}"[:300],
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
        tags=r.strings("tags", "tag"),
        therapies=r.strings("therapies", "tag"),
        cycle_day=r.number("cycle_day", True),
        notes=r.text("notes"),
        dose=r.dose(),
        other_doses=r.other_doses(),
    )
    return record if day is not None else None


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
    doc = _load(decode(data, max_bytes, problems), problems)
    if doc is None or problems.has_errors:
        return JsonImport(None, ImportPreview("json", (), problems.sorted(), 0))
    # Sections an older export lacks read as empty; days are checked field by field below.
    sections: dict[str, list[Any]] = {name: [] for name in LIST_SECTIONS}
    defaults = {"account": {}, "profile": {"time_zone": "UTC"}, "reminder_settings": None}
    whole = {**defaults, **sections, **doc, "days": []}
    for message in schema_problems(whole)[:MAX_SCHEMA_PROBLEMS]:
        problems.add(0, message.split(":", 1)[0], "bad_section", message)
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
    if isinstance(whole["symptoms"], list):  # archived symptoms come with the file, even unrated
        for s in whole["symptoms"]:
            if isinstance(s, dict) and isinstance(s.get("name"), str) and s["name"].strip():
                seen.setdefault(s["name"], (0, "symptoms"))
    mapping, new = resolve_symptoms(seen, known_symptoms, create_unknown, problems)
    days = [
        with_scores(d, {mapping[k]: v for k, v in d.scores.items() if k in mapping}) for d in days
    ]
    exported_at = _timestamp(doc.get("exported_at"), problems)
    if problems.has_errors:
        return JsonImport(None, ImportPreview("json", (), problems.sorted(), len(raw_days)))
    bundle = ExportBundle(
        exported_at=exported_at,
        account=whole["account"],
        profile=whole["profile"],
        days=tuple(days),
        reminder_settings=whole["reminder_settings"],
        **{name: tuple(whole[name]) for name in LIST_SECTIONS},
    )
    preview = ImportPreview(
        source="json",
        days=tuple(days),
        problems=problems.sorted(),
        rows_read=len(raw_days),
        symptoms=tuple(dict.fromkeys(mapping.values())),
        new_symptoms=new,
        medications=tuple(dict.fromkeys(o.name for d in days for o in d.other_doses)),
    )
    return JsonImport(bundle, preview)


def _load(text: str | None, problems: Problems) -> dict[str, Any] | None:
    """The top-level object of the file, or None after recording why there is none."""
    if text is None:
        return None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(exc.lineno, "", "bad_json", f"not valid JSON: {exc.msg}")
        return None
    except RecursionError:
        problems.add(
            0, "", "bad_json", f"the JSON nests too deeply; an export nests at most "
            f"{max_json_depth()} levels"
        )  # fmt: skip
        return None
    if not isinstance(doc, dict):
        kind = "null" if doc is None else type(doc).__name__.replace("str", "text")
        problems.add(
            0, "", "bad_json", f"the top level must be an object holding an export, got {kind}"
        )
        return None
    depth = _depth(doc)
    if depth > max_json_depth():
        problems.add(
            0, "", "bad_json", f"the JSON nests {depth} levels deep; an export nests at most "
            f"{max_json_depth()}"
        )  # fmt: skip
        return None
    if doc.get("format") != FORMAT:
        problems.add(0, "format", "wrong_format", f"format must be '{FORMAT}'")
    if doc.get("version") != VERSION:
        problems.add(
            0,
            "version",
            "unsupported_version",
            f"version must be {VERSION}, got {doc.get('version')!r}"[:300],
        )
    return doc


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
            f"exported_at must be an ISO timestamp with offset, got {value!r}"[:300],
        )
        return datetime.min.replace(tzinfo=None)
    return parsed
