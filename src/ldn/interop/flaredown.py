"""Import of Flaredown's per-user CSV export (one row per check-in day).

Layout, read in Flaredown's own code (rubyforgood/Flaredown backend/app/jobs/data_export_job.rb
and its spec): `Date`, one column per condition, then per symptom, then per treatment (each named
after the trackable, in the user's locale), then `Tags` and `Foods` ("; "-joined), then six weather
columns (added in their PR #517). Conditions and symptoms are integers 0-4 (checkin/fiveable.rb);
a treatment cell holds the dose text, "Taken" (no dose given) or "Not Taken".

The header does not say which column is a rating and which a treatment, so a column whose filled
cells are all whole numbers is read as a rating; the rest are treatments. Pass
`treatment_columns` to override, and show `column_roles` from the preview to the patient.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

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
    parse_iso_date,
    report,
    resolve_symptoms,
    scale_mapping,
    split_list,
)
from ldn.interop.records import DayRecord, ImportPreview, LdnDose, OtherDose
from ldn.journal.vocabulary import THERAPIES

REQUIRED = ("Date", "Tags", "Foods")
WEATHER_COLUMNS = (
    "Weather summary",
    "Weather max temperature",
    "Weather min temperature",
    "Weather pressure",
    "Weather precipitation intensity",
    "Weather humidity",
)
TAKEN, NOT_TAKEN = "taken", "not taken"
_WHOLE = re.compile(r"^-?\d+$")
_THERAPY_BY_NAME = {k.casefold(): k for k in THERAPIES} | {
    v.casefold(): k for k, v in THERAPIES.items()
}


@dataclass
class _Columns:
    date: int
    tags: int
    foods: int
    roles: dict[str, str] = field(default_factory=dict)  # header -> role shown to the patient
    ratings: dict[int, str] = field(default_factory=dict)
    treatments: dict[int, str] = field(default_factory=dict)


def _classify(
    header: list[str], rows: list[list[str]], index: dict[str, int], forced: Collection[str]
) -> _Columns:
    cols = _Columns(index["date"], index["tags"], index["foods"])
    forced_fold = {f.casefold() for f in forced}
    weather = {w.casefold() for w in WEATHER_COLUMNS}
    for i, name in enumerate(header):
        if i in (cols.date, cols.tags, cols.foods):
            cols.roles[name] = name.casefold()
        elif name.casefold() in weather:
            cols.roles[name] = "weather (not imported)"
        elif i > cols.tags:
            cols.roles[name] = "ignored"
        else:
            values = [r[i].strip() for r in rows if i < len(r) and r[i].strip()]
            numeric = all(_WHOLE.match(v) for v in values)
            if name.casefold() in forced_fold or not numeric:
                cols.treatments[i] = name
                if is_ldn(name):
                    cols.roles[name] = "LDN dose"
                elif name.casefold() in _THERAPY_BY_NAME:
                    cols.roles[name] = f"therapy ({_THERAPY_BY_NAME[name.casefold()]})"
                else:
                    cols.roles[name] = "other medication"
            else:
                cols.ratings[i] = name
                cols.roles[name] = "symptom rating 0-4"
    return cols


def _treatment(
    name: str, value: str, row: int, problems: Problems
) -> tuple[LdnDose | None, str | None, OtherDose | None]:
    """(LDN dose, therapy code, other dose) for one filled treatment cell."""
    status = "missed" if value.casefold() == NOT_TAKEN else "taken"
    amount = "" if value.casefold() in (TAKEN, NOT_TAKEN) else value
    if is_ldn(name):
        mg = amount_in_mg(amount) if amount else None
        if amount and mg is None:
            problems.warn(
                row, name, "unparsed_dose", f"LDN dose {value!r} is not in mg; kept as taken"
            )
        return LdnDose("missed" if status == "missed" else "taken", mg), None, None
    therapy = _THERAPY_BY_NAME.get(name.casefold())
    if therapy is not None:
        return None, (therapy if status == "taken" else None), None
    name = check_text(name, "other_dose_name", row, problems, name[:40])
    amount = check_text(amount, "other_dose_amount", row, problems, name[:40])
    if not name:
        return None, None, None
    return None, None, OtherDose(name, "missed" if status == "missed" else "taken", amount)


def parse_flaredown(
    data: bytes | str,
    *,
    today: date,
    known_symptoms: Collection[str] | None = None,
    create_unknown: bool = True,
    treatment_columns: Collection[str] = (),
    max_bytes: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportPreview:
    """Parse a Flaredown export into a preview of days, with every problem found."""
    problems = Problems()
    mapping = scale_mapping("zero_to_four")
    rows = csv_rows(data, max_bytes, problems)
    if not rows:
        return ImportPreview("flaredown", (), problems.sorted(), 0, mappings=(mapping,))
    header = [h.strip() for h in rows[0]]
    index = check_header(header, REQUIRED, problems, casefold=True)
    if problems.has_errors:
        return ImportPreview("flaredown", (), problems.sorted(), len(rows) - 1, mappings=(mapping,))
    body = rows[1:]
    cols = _classify(header, body, index, treatment_columns)
    for name, role in cols.roles.items():
        if role in ("ignored", "weather (not imported)"):
            problems.warn(1, name, "ignored_column", f"column '{name}' is not imported")
    seen = {name: (1, name) for name in cols.ratings.values()}
    names, new = resolve_symptoms(seen, known_symptoms, create_unknown, problems)
    days: list[DayRecord] = []
    first: dict[date, int] = {}
    medications: dict[str, None] = {}
    for number, raw in enumerate(body, start=2):
        report(on_progress, number - 1, len(body))
        if not any(c.strip() for c in raw):
            continue
        raw = (raw + [""] * len(header))[: len(header)]
        day = parse_iso_date(raw[cols.date])
        if day is None:
            problems.add(
                number, "Date", "bad_date", f"Date must be YYYY-MM-DD, got {raw[cols.date]!r}"
            )
        elif not check_date(day, today, number, "Date", problems):
            day = None
        elif day in first:
            problems.add(
                number, "Date", "duplicate_day", f"{day} already appears on row {first[day]}"
            )
            day = None
        scores: dict[str, int] = {}
        for i, name in cols.ratings.items():
            cell = raw[i].strip()
            if not cell:
                continue
            value = int(cell)
            if value not in mapping.table:
                problems.add(
                    number,
                    name,
                    "score_out_of_range",
                    f"Flaredown ratings are 0-4, got {cell} for '{name}'",
                )
            elif name in names:
                scores[names[name]] = mapping.table[value]
        dose, therapies, others = None, [], []
        for i, name in cols.treatments.items():
            cell = raw[i].strip()
            if not cell:
                continue
            ldn, therapy, other = _treatment(name, cell, number, problems)
            dose = ldn or dose
            if therapy:
                therapies.append(therapy)
            if other:
                others.append(other)
                medications[other.name] = None
        if day is None:
            continue
        first[day] = number
        foods = split_list(raw[cols.foods], ";")
        diet = ("Foods: " + "; ".join(foods)) if foods else ""
        days.append(
            DayRecord(
                day=day,
                scores=scores,
                tags=check_items(split_list(raw[cols.tags], ";"), "tag", number, problems, "Tags"),
                therapies=tuple(dict.fromkeys(therapies)),
                diet_notes=check_text(diet, "diet_notes", number, problems, "Foods"),
                dose=dose,
                other_doses=tuple(others),
            )
        )
    return ImportPreview(
        source="flaredown",
        days=tuple(sorted(days, key=lambda d: d.day)),
        problems=problems.sorted(),
        rows_read=len(body),
        symptoms=tuple(dict.fromkeys(names.values())),
        new_symptoms=new,
        medications=tuple(medications),
        mappings=(mapping,),
        column_roles=cols.roles,
    )
