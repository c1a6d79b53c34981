"""Pausing a plan ahead of surgery, with the cited stopping interval from data/perioperative.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ldn.dosing._data import Reference, cite, load_yaml
from ldn.dosing.plan import TitrationPlan


@dataclass(frozen=True)
class SurgeryPause:
    """The paused plan, the last dose day, and why that interval was chosen."""

    plan: TitrationPlan
    surgery: date
    last_dose_day: date
    hold_days: int
    basis: str
    resume_guidance: str
    references: tuple[Reference, ...]


def pause_for_surgery(plan: TitrationPlan, surgery: date) -> SurgeryPause:
    """Open a pause starting `hold_days` before surgery; close it later with `plan.resume(...)`."""
    data = load_yaml("perioperative.yaml")
    hold = int(data["hold_days_before"])
    start = surgery - timedelta(days=hold)
    paused = plan.pause(start, None, reason=f"surgery on {surgery.isoformat()}")
    return SurgeryPause(
        plan=paused,
        surgery=surgery,
        last_dose_day=start - timedelta(days=1),
        hold_days=hold,
        basis=" ".join(str(data["hold_days_basis"]).split()),
        resume_guidance=" ".join(str(data["resume_guidance"]).split()),
        references=cite(data["references"]),
    )
