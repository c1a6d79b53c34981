"""Helpers shared by the therapy tests (plans and findings for the `world` cast)."""

from __future__ import annotations

import datetime as dt


def give_plan(patient, steps: str = "1.5@0,3@14,4.5@28", start: dt.date | None = None):
    from ldn.dosing import plan_from_steps
    from ldn.web.accounts.clock import local_today
    from ldn.web.therapy import plans

    start = start or local_today(patient) - dt.timedelta(days=20)
    return plans.save_version(
        patient, plan_from_steps(steps, start), author=patient, reason="Prescribed"
    )


def alice_medication_pk(world) -> int:
    """A medication on alice's list (made here so the shared `world` stays as it is)."""
    from ldn.web.journal.models import Medication

    med, _ = Medication.objects.get_or_create(patient=world.alice, name="ibuprofen 400 mg")
    return med.pk


def alice_finding_pk(world) -> int:
    """A finding on alice's record (her screening of that medication)."""
    from ldn.web.therapy import screening

    alice_medication_pk(world)
    return screening.run(world.alice, "on_demand").findings.first().pk
