"""Dosing: titration plans, templates, pauses, adherence, iCalendar feed, dose forms, liquid LDN."""

from ldn.dosing._data import Reference, references
from ldn.dosing.adherence import WeekAdherence, minutes_late, weekly_adherence
from ldn.dosing.errors import LiquidError, PlanError
from ldn.dosing.forms import DoseForm, dose_form, dose_forms
from ldn.dosing.ical import CalendarFeed, build_calendar, parse_time, zone
from ldn.dosing.liquid import LiquidDose, StorageGuidance, liquid_dose, storage_guidance
from ldn.dosing.perioperative import SurgeryPause, pause_for_surgery
from ldn.dosing.plan import Pause, PlanStep, TitrationPlan, parse_steps, plan_from_steps
from ldn.dosing.templates import PlanTemplate, template, templates
from ldn.dosing.versions import PlanHistory, PlanVersion

__all__ = [
    "CalendarFeed",
    "DoseForm",
    "LiquidDose",
    "LiquidError",
    "Pause",
    "PlanError",
    "PlanHistory",
    "PlanStep",
    "PlanTemplate",
    "PlanVersion",
    "Reference",
    "StorageGuidance",
    "SurgeryPause",
    "TitrationPlan",
    "WeekAdherence",
    "build_calendar",
    "dose_form",
    "dose_forms",
    "liquid_dose",
    "parse_steps",
    "parse_time",
    "pause_for_surgery",
    "plan_from_steps",
    "references",
    "storage_guidance",
    "template",
    "templates",
    "minutes_late",
    "weekly_adherence",
    "zone",
]
