"""One definition of each journal field (limits.yaml): the form, the model, the database's CHECK
constraints, every importer and the export's JSON Schema agree with it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, transaction

from ldn.interop import export_schema, field_limits, parse_import, read_json

ENTRY_NUMBERS = (
    "sleep_hours", "sleep_quality", "stress", "exercise_minutes", "water_litres", "alcohol_units",
    "cycle_day",
)  # fmt: skip
ENTRY_TEXTS = ("side_effect_other", "diet_notes", "notes")
TODAY = date(2025, 6, 30)


def _bounds(validators):
    low = next(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = next(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    return float(low), float(high)


@pytest.mark.parametrize("name", ENTRY_NUMBERS)
def test_the_check_in_form_takes_each_range_from_the_limits(name):
    from ldn.web.journal.forms import CheckInForm

    field = CheckInForm.base_fields[name]
    limit = field_limits()[name]
    if hasattr(field, "min_value"):
        assert (float(field.min_value), float(field.max_value)) == (limit.min, limit.max)
    else:  # the 0-10 radio scales
        assert [int(v) for v, _ in field.choices] == list(range(int(limit.min), int(limit.max) + 1))


@pytest.mark.parametrize("name", ENTRY_TEXTS)
def test_the_form_and_the_model_take_each_length_from_the_limits(name):
    from ldn.web.journal.forms import CheckInForm
    from ldn.web.journal.models import DailyEntry

    limit = field_limits()[name].max_length
    assert CheckInForm.base_fields[name].max_length == limit
    assert DailyEntry._meta.get_field(name).max_length == limit


@pytest.mark.parametrize("name", ENTRY_NUMBERS)
def test_the_models_validators_take_each_range_from_the_limits(name):
    from ldn.web.journal.models import DailyEntry

    limit = field_limits()[name]
    assert _bounds(DailyEntry._meta.get_field(name).validators) == (limit.min, limit.max)


def test_the_schema_states_the_same_types_ranges_and_lengths():
    defs = export_schema()["$defs"]
    for name, limit in field_limits().items():
        spec = defs[name]
        assert spec["type"] == ("string" if limit.type == "text" else limit.type), name
        if limit.type == "text":
            assert spec["maxLength"] == limit.max_length, name
        else:
            assert (spec["minimum"], spec["maximum"]) == (limit.min, limit.max), name


@pytest.mark.django_db
@pytest.mark.parametrize("name", ENTRY_NUMBERS)
def test_the_database_refuses_a_value_past_the_limit_even_through_bulk_create(name):
    from ldn.web.journal.models import DailyEntry
    from tests.conftest import make_patient

    patient = make_patient("limits")
    limit = field_limits()[name]
    DailyEntry.objects.bulk_create(
        [DailyEntry(patient=patient, day=date(2024, 1, 1), **{name: limit.max})]
    )
    above = Decimal(str(limit.max)) + Decimal("0.1" if limit.type == "number" else "1")
    if name in ("sleep_hours", "water_litres") and above >= 100:
        pytest.skip("max_digits already refuses it")
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyEntry.objects.bulk_create(
            [DailyEntry(patient=patient, day=date(2024, 1, 2), **{name: above})]
        )


@pytest.mark.django_db
def test_the_database_refuses_a_score_of_11_and_a_dose_over_50_mg():
    from ldn.web.journal.models import DailyEntry, DoseLog, Symptom, SymptomRating
    from tests.conftest import make_patient

    patient = make_patient("limits")
    entry = DailyEntry.objects.create(patient=patient, day=date(2024, 1, 1))
    pain = Symptom.objects.create(patient=patient, key="pain", name="Pain")
    with pytest.raises(IntegrityError), transaction.atomic():
        SymptomRating.objects.bulk_create([SymptomRating(entry=entry, symptom=pain, score=11)])
    with pytest.raises(IntegrityError), transaction.atomic():
        DoseLog.objects.bulk_create(
            [
                DoseLog(
                    patient=patient, day=date(2024, 1, 1), status="taken", amount_mg=Decimal("50.5")
                )
            ]
        )


@pytest.mark.parametrize("name", ENTRY_NUMBERS)
def test_every_importer_accepts_the_maximum_and_refuses_past_it(name):
    limit = field_limits()[name]
    step = 1 if limit.type == "integer" else 0.1
    for value, ok in ((limit.max, True), (limit.max + step, False)):
        text = f"{value:g}"
        csv = parse_import("ours", f"date,{name}\n2024-01-01,{text}\n".encode(), today=TODAY)
        doc = {"format": "ldn-companion", "version": 1, "exported_at": "2025-01-01T00:00:00+00:00",
               "days": [{"date": "2024-01-01", name: value}]}  # fmt: skip
        js = read_json(json.dumps(doc), today=TODAY).preview
        assert (csv.ok, js.ok) == (ok, ok), (name, value, csv.problems, js.problems)


def test_the_dose_entry_limits_are_the_dose_rules():
    # The check-in's dose field has no bounds of its own: the dose rule refuses out-of-range
    # doses (tests/web/test_dose_rule_entry.py), with these same limits.
    from ldn.dosing.dose_rule import entry_limits
    from ldn.interop.limits import field_limit

    rule, field = entry_limits(), field_limit("ldn_dose_mg")
    assert (rule.min_mg, rule.max_mg) == (field.min, field.max)
