"""Objects the authorization walk needs for the insights URLs (a sealed and an unblinded trial)."""

from __future__ import annotations

import datetime as dt


def alice_trial_pk(world: object, unblinded: bool = False) -> int:
    from ldn.analysis import TrialDesign
    from ldn.web.insights import trial

    design = TrialDesign(start=dt.date(2026, 1, 5), pairs=3, period_days=7, washout_days=2)
    created = trial.create_trial(world.alice, design, None, seed=7)  # type: ignore[attr-defined]
    if unblinded:
        trial.unblind(created, dt.date(2026, 3, 1))
    return created.pk
