"""Plan history: every change is kept with who made it, when and why (append-only)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from ldn.dosing.errors import PlanError
from ldn.dosing.plan import TitrationPlan


@dataclass(frozen=True)
class PlanVersion:
    """One saved state of a plan."""

    number: int
    plan: TitrationPlan
    author: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class PlanHistory:
    """Immutable list of versions; `revise` returns a new history with one more version."""

    versions: tuple[PlanVersion, ...] = ()

    @property
    def current(self) -> TitrationPlan:
        """The latest plan."""
        if not self.versions:
            raise PlanError("history must have at least one version, got none")
        return self.versions[-1].plan

    def revise(self, plan: TitrationPlan, author: str, reason: str, at: datetime) -> PlanHistory:
        """Append a version; author and reason are required because a dose change needs both."""
        if not author.strip():
            raise PlanError("author must be given for a plan change, got an empty string")
        if not reason.strip():
            raise PlanError("reason must be given for a plan change, got an empty string")
        if self.versions and at < self.versions[-1].at:
            raise PlanError(
                f"version time must not precede the previous version ({self.versions[-1].at}), "
                f"got {at}"
            )
        version = PlanVersion(len(self.versions) + 1, plan, author.strip(), reason.strip(), at)
        return replace(self, versions=(*self.versions, version))

    def plan_on(self, day: date) -> TitrationPlan | None:
        """The plan version in force at the end of `day` (for answering "what was due then")."""
        current = None
        for version in self.versions:
            if version.at.date() <= day:
                current = version.plan
        return current
