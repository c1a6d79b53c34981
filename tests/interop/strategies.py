"""Hypothesis strategies for journal days within the documented bounds of each field."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hypothesis import strategies as st

from ldn.interop import DayRecord, LdnDose, OtherDose
from ldn.journal.vocabulary import SIDE_EFFECTS, THERAPIES

TODAY = date(2025, 6, 30)
_chars = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
# Formula-like cells (OWASP CSV injection) must survive the CSV's escaping unchanged.
formula_like = st.sampled_from(
    ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "'=quoted", "''+x", "-5"]
)
free_text = st.text(_chars, max_size=30) | formula_like
# list items and names are stored stripped and non-empty (the readers strip them)
item = (st.text(_chars, min_size=1, max_size=15) | formula_like).map(str.strip).filter(bool)
clock = st.builds(time, st.integers(0, 23), st.integers(0, 59))


def _opt(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


doses = st.builds(
    LdnDose,
    status=st.sampled_from(["taken", "missed"]),
    mg=_opt(st.integers(10, 5000).map(lambda n: n / 100)),  # stored with 2 decimals
    at=_opt(clock),
)


@st.composite
def days(draw: st.DrawFn, symptoms: list[str], with_other_doses: bool = False) -> DayRecord:
    rated = draw(st.lists(st.sampled_from(symptoms), unique=True)) if symptoms else []
    others: tuple[OtherDose, ...] = ()
    if with_other_doses:
        others = tuple(
            draw(
                st.lists(
                    st.builds(
                        OtherDose,
                        name=item,
                        status=st.sampled_from(["taken", "missed"]),
                        amount=free_text,
                        at=_opt(clock),
                    ),
                    max_size=2,
                )
            )
        )
    return DayRecord(
        day=draw(st.dates(date(2000, 1, 1), TODAY)),
        scores={s: draw(st.integers(0, 10)) for s in rated},
        side_effects=tuple(draw(st.lists(st.sampled_from(sorted(SIDE_EFFECTS)), max_size=3))),
        side_effect_other=draw(free_text),
        sleep_hours=draw(_opt(st.integers(0, 240).map(lambda n: n / 10))),  # 1 decimal stored
        sleep_quality=draw(_opt(st.integers(0, 10))),
        stress=draw(_opt(st.integers(0, 10))),
        exercise_minutes=draw(_opt(st.integers(0, 1440))),
        water_litres=draw(_opt(st.integers(0, 200).map(lambda n: n / 10))),
        alcohol_units=draw(_opt(st.integers(0, 100))),
        diet_notes=draw(free_text),
        tags=tuple(draw(st.lists(item, max_size=3))),
        therapies=tuple(draw(st.lists(st.sampled_from(sorted(THERAPIES)) | item, max_size=3))),
        cycle_day=draw(_opt(st.integers(1, 100))),
        notes=draw(free_text),
        dose=draw(_opt(doses)),
        other_doses=others,
    )


symptom_names = st.lists(item, max_size=5, unique_by=str.casefold)


@st.composite
def journals(draw: st.DrawFn, with_other_doses: bool = False) -> tuple[list[str], list[DayRecord]]:
    names = draw(symptom_names)
    records = draw(st.lists(days(names, with_other_doses), max_size=8, unique_by=lambda d: d.day))
    return names, records


# --- the living sections of the JSON export (plain dicts, as export.schema.json describes) ---
_past = st.dates(date(2000, 1, 1), TODAY)
_stamp = st.datetimes(datetime(2000, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)).map(
    lambda d: d.isoformat()
)
_hhmm = clock.map(lambda t: t.strftime("%H:%M"))
_words = (st.text(_chars, min_size=1, max_size=40) | formula_like).filter(lambda s: s.strip())
_living_items = st.sampled_from(
    ["vivid_dreams", "insomnia", "headache", "nausea", "worst_symptom", "grogginess", "energy",
     "palpitations", "tremor"]
)  # fmt: skip


@st.composite
def living_sections(draw: st.DrawFn) -> dict[str, tuple[dict[str, Any], ...]]:
    """Living days, timing changes made by the patient, thyroid records, procedures, bottles."""
    living_days = draw(st.lists(st.fixed_dictionaries({
        "day": _past.map(date.isoformat),
        "scores": st.dictionaries(_living_items, st.integers(0, 10), min_size=1),
        "updated_at": _stamp,
    }), max_size=4, unique_by=lambda d: d["day"]))  # fmt: skip
    timing_changes = draw(st.lists(st.fixed_dictionaries({
        "day": _past.map(date.isoformat), "time_of_day": st.sampled_from(["morning", "bedtime"]),
        "dose_time": _hhmm, "reason": _words, "experiment_seal": st.none(), "created_at": _stamp,
    }), max_size=3, unique_by=lambda d: d["day"]))  # fmt: skip
    thyroid = draw(st.lists(st.fixed_dictionaries({
        "day": _past.map(date.isoformat), "kind": st.sampled_from(["dose", "tsh", "free_t4"]),
        "value": st.integers(1, 99_999_99).map(lambda n: n / 100), "unit": st.sampled_from(
            ["mcg", "mIU/L", "pmol/L", "ng/dL"]), "note": free_text, "created_at": _stamp,
    }), max_size=3, unique_by=lambda r: (r["day"], r["kind"], r["value"], r["unit"], r["note"])))  # fmt: skip
    procedures = draw(st.lists(st.builds(
        lambda day, gap, back, text, who, stamp: {
            "procedure_day": day.isoformat(), "description": text[:120], "instruction": text,
            "instructed_by": who, "last_dose_day": (day - timedelta(days=gap)).isoformat(),
            "restart_day": None if back is None else (day + timedelta(days=back)).isoformat(),
            "entered_by": "patient", "confirmed_by": None, "confirmed_at": None,
            "created_at": stamp,
        },
        _past, st.integers(1, 7), _opt(st.integers(1, 14)), _words, _words, _stamp,
    ), max_size=2, unique_by=lambda p: (p["procedure_day"], p["description"])))  # fmt: skip
    bottles = draw(st.lists(st.fixed_dictionaries({
        "started_on": _past.map(date.isoformat),
        "concentration_mg_per_ml": st.sampled_from([0.5, 1.0, 2.5, 5.0]),
        "volume_ml": st.integers(1, 5000).map(lambda n: n / 10), "created_at": _stamp,
    }), max_size=2, unique_by=lambda b: (b["started_on"], b["concentration_mg_per_ml"], b["volume_ml"])))  # fmt: skip
    return {
        "living_days": tuple(living_days), "timing_experiments": (),
        "timing_changes": tuple(timing_changes), "step_decisions": (),
        "thyroid_records": tuple(thyroid), "planned_procedures": tuple(procedures),
        "bottles": tuple(bottles),
    }  # fmt: skip
