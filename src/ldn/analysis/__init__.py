"""Honest N-of-1 statistics: before/after and dose response, triggers, side effects, blinded trials."""

from ldn.analysis.ar1 import Ar1Fit, fit_ar1
from ldn.analysis.before_after import (
    VERDICTS,
    BeforeAfterReport,
    DoseEffect,
    SymptomResult,
    TrendCheck,
    analyse_before_after,
)
from ldn.analysis.errors import AnalysisInputError
from ldn.analysis.forecast import Detection, Forecast, forecast_detection, trial_pairs_needed
from ldn.analysis.mcid import Mcid, mcid_for
from ldn.analysis.multiplicity import holm_adjust
from ldn.analysis.n_of_1 import (
    AllocationSheet,
    TrialDesign,
    TrialResult,
    TrialSchedule,
    allocation_sheet,
    analyse_trial,
    generate_schedule,
    verify_seal,
)
from ldn.analysis.phases import PhasePlan, assign_phases
from ldn.analysis.series import DailySeries, daily_series_from_frame
from ldn.analysis.side_effects import SideEffectReport, side_effect_course
from ldn.analysis.simulate import Scenario, simulate_series
from ldn.analysis.triggers import TriggerReport, screen_triggers

__all__ = [
    "VERDICTS",
    "AllocationSheet",
    "AnalysisInputError",
    "Ar1Fit",
    "BeforeAfterReport",
    "DailySeries",
    "Detection",
    "DoseEffect",
    "Forecast",
    "Mcid",
    "PhasePlan",
    "Scenario",
    "SideEffectReport",
    "SymptomResult",
    "TrialDesign",
    "TrialResult",
    "TrendCheck",
    "TrialSchedule",
    "TriggerReport",
    "allocation_sheet",
    "analyse_before_after",
    "analyse_trial",
    "assign_phases",
    "daily_series_from_frame",
    "fit_ar1",
    "forecast_detection",
    "generate_schedule",
    "holm_adjust",
    "mcid_for",
    "screen_triggers",
    "side_effect_course",
    "trial_pairs_needed",
    "simulate_series",
    "verify_seal",
]
