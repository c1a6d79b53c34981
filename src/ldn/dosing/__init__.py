"""Dosing: titration plans, templates, pauses, adherence, iCalendar feed, dose forms, liquid LDN."""

from ldn.dosing._data import Reference
from ldn.dosing.adherence import Adherence, WeekAdherence, adherence, minutes_late, weekly_adherence
from ldn.dosing.dose_rule import (
    DoseCheck,
    UsualRange,
    check_doses,
    dose_rule,
    entry_limits,
    mg_number,
    usual_range,
)
from ldn.dosing.errors import (
    DoseError,
    DoseNeedsConfirmation,
    DoseRefused,
    LiquidError,
    PlanError,
)
from ldn.dosing.forms import DoseForm, dose_form, dose_forms
from ldn.dosing.ical import (
    Appointment,
    CalendarFeed,
    DayReminder,
    build_calendar,
    parse_time,
    zone,
)
from ldn.dosing.liquid import (
    LiquidDose,
    LiquidSuggestion,
    StorageGuidance,
    liquid_dose,
    storage_guidance,
)
from ldn.dosing.perioperative import SurgeryGuidance, pause_for_procedure, surgery_guidance
from ldn.dosing.plan import Pause, PlanStep, TitrationPlan, parse_steps, plan_from_steps
from ldn.dosing.templates import PlanTemplate, plan_title, template, templates
from ldn.dosing.versions import PlanHistory, PlanVersion

__all__ = [
    "Adherence",
    "Appointment",
    "CalendarFeed",
    "DayReminder",
    "DoseCheck",
    "DoseError",
    "DoseForm",
    "DoseNeedsConfirmation",
    "DoseRefused",
    "LiquidDose",
    "LiquidError",
    "LiquidSuggestion",
    "Pause",
    "PlanError",
    "PlanHistory",
    "PlanStep",
    "PlanTemplate",
    "PlanVersion",
    "Reference",
    "StorageGuidance",
    "SurgeryGuidance",
    "TitrationPlan",
    "UsualRange",
    "WeekAdherence",
    "build_calendar",
    "check_doses",
    "dose_rule",
    "entry_limits",
    "dose_form",
    "dose_forms",
    "liquid_dose",
    "parse_steps",
    "parse_time",
    "pause_for_procedure",
    "plan_from_steps",
    "plan_title",
    "storage_guidance",
    "surgery_guidance",
    "template",
    "usual_range",
    "templates",
    "mg_number",
    "minutes_late",
    "adherence",
    "weekly_adherence",
    "zone",
]
