"""A planned procedure: the prescriber's stop/restart instruction as a plan pause, and the cited
stopping interval from data/perioperative.yaml shown beside it (never used in its place)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ldn.dosing._data import Reference, cite, load_yaml
from ldn.dosing.errors import PlanError
from ldn.dosing.plan import TitrationPlan


@dataclass(frozen=True)
class SurgeryGuidance:
    """What the sources say about stopping before surgery and restarting after it."""

    hold_days: int
    basis: str
    resume_guidance: str
    references: tuple[Reference, ...]

    def last_dose_by(self, surgery: date) -> date:
        """The latest last dose the sources' longest stopping interval allows."""
        return surgery - timedelta(days=self.hold_days + 1)


def surgery_guidance() -> SurgeryGuidance:
    data = load_yaml("perioperative.yaml")
    return SurgeryGuidance(
        hold_days=int(data["hold_days_before"]),
        basis=" ".join(str(data["hold_days_basis"]).split()),
        resume_guidance=" ".join(str(data["resume_guidance"]).split()),
        references=cite(data["references"]),
    )


def pause_for_procedure(
    plan: TitrationPlan,
    procedure_day: date,
    last_dose_day: date,
    restart_day: date | None,
    reason: str,
) -> TitrationPlan:
    """The plan paused from the day after the prescriber's last dose until the day before the
    restart (open until resumed when no restart day was given)."""
    if last_dose_day >= procedure_day:
        raise PlanError(
            f"last_dose_day must be before the procedure on {procedure_day}, got {last_dose_day}"
        )
    if restart_day is not None and restart_day <= procedure_day:
        raise PlanError(
            f"restart_day must be after the procedure on {procedure_day}, got {restart_day}"
        )
    end = None if restart_day is None else restart_day - timedelta(days=1)
    return plan.pause(last_dose_day + timedelta(days=1), end, reason=reason)
