"""The blinded N-of-1 trial: create it sealed, show the neutral calendar, the pharmacist's sheet,
unblind on request and analyse with the core's randomisation test.

Blinding rules kept here, in one place:
- the patient-facing calendar is built from the design alone (dates and bottle numbers do not
  depend on the allocation), never from the schedule;
- the allocation is read only by `sheet_for_token` (the pharmacist's secret link, stored hashed)
  and by `unblinded_schedule`, which refuses until the trial is unblinded;
- the patient never holds the pharmacist's link: a sharing clinician issues it (and sees it
  once), or it is e-mailed straight to the pharmacist's address, never to the patient's own;
- every opening of the sheet is logged (`SheetView`) and listed on the patient's trial page,
  so a look by anybody, the patient included, cannot go unseen;
- unblinding before the end is the patient's explicit action, recorded and stated in the result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

import numpy as np
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ldn import bibliography, datafiles
from ldn.analysis import (
    AllocationSheet,
    TrialDesign,
    TrialResult,
    TrialSchedule,
    allocation_sheet,
    analyse_trial,
    generate_schedule,
    verify_seal,
)
from ldn.web.accounts.models import User
from ldn.web.insights.loader import load_diary
from ldn.web.insights.models import SealedAllocation, SheetView, Trial
from ldn.web.journal.models import Symptom


class TrialStateError(Exception):
    """The trial is not in a state that allows this (e.g. the allocation is still sealed)."""


@dataclass(frozen=True)
class CalendarPeriod:
    """What the patient sees of a period: dates and a neutral bottle label, no treatment."""

    index: int
    pair: int
    start: dt.date
    end: dt.date
    analysed_from: dt.date
    bottle: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar(design: TrialDesign) -> list[CalendarPeriod]:
    """The periods laid out by the core; the rng only decides orders, which are dropped here."""
    layout = generate_schedule(design, np.random.default_rng(0)).periods
    return [
        CalendarPeriod(p.index, p.pair, p.start, p.end, p.analysed_from, p.bottle) for p in layout
    ]


def status(trial: Trial, today: dt.date) -> str:
    if trial.is_unblinded:
        return "unblinded"
    if today < trial.start:
        return "planned"
    return "running" if today <= trial.end else "ended"


def open_trial(patient: User) -> Trial | None:
    return Trial.objects.filter(patient=patient, unblinded_at__isnull=True).first()


@transaction.atomic
def create_trial(
    patient: User,
    design: TrialDesign,
    primary_symptom: Symptom | None,
    *,
    seed: int | None = None,
) -> Trial:
    """Randomise and store sealed. No pharmacist link exists yet: see `issue_link`."""
    seed = secrets.randbits(128) if seed is None else seed
    schedule = generate_schedule(design, np.random.default_rng(seed))  # validates the design
    trial = Trial.objects.create(
        patient=patient,
        start=design.start,
        pairs=design.pairs,
        period_days=design.period_days,
        washout_days=design.washout_days,
        ldn_dose_mg=Decimal(str(design.ldn_dose_mg)),
        primary_symptom=primary_symptom,
        seal=schedule.seal,
    )
    SealedAllocation.objects.create(
        trial=trial,
        seed=str(seed),
        orders=list(schedule.orders),
        nonce=schedule.nonce,
        token_hash=None,
    )
    return trial


def issue_link(trial: Trial, how: str) -> str:
    """A fresh pharmacist link (the old one stops working); `how` says who received it, for
    the patient's trial page, e.g. "issued by Dr Bob Jones" or "e-mailed to p…@pharmacy.org"."""
    token = secrets.token_urlsafe(24)
    SealedAllocation.objects.filter(trial=trial).update(
        token_hash=_token_hash(token), link_issued=how[:200], link_issued_at=timezone.now()
    )
    return token


def email_link(trial: Trial, to: str, url: str) -> None:
    """The pharmacist's link, sent to the pharmacist's address only."""
    send_mail(
        subject="Blinded LDN trial: allocation sheet for the pharmacy",
        message=(
            "A patient is starting a blinded N-of-1 trial of low-dose naltrexone against placebo "
            "and gave this address as their pharmacist's.\n\n"
            f"The allocation sheet (which bottle holds LDN {trial.dose_label}, which placebo) is "
            f"here:\n{url}\n\n"
            "Please do not forward it to the patient: the trial is only informative while they "
            "do not know. Each opening of the link is shown to the patient with its date.\n"
        ),
        from_email=None,
        recipient_list=[to],
    )


def link_status(trial: Trial) -> SealedAllocation:
    return SealedAllocation.objects.only("link_issued", "link_issued_at").get(trial=trial)


def sheet_views(trial: Trial) -> list[SheetView]:
    return list(SheetView.objects.filter(trial=trial))


def _schedule(trial: Trial, sealed: SealedAllocation) -> TrialSchedule:
    """Rebuild the schedule from the stored seed and check it against the stored orders."""
    schedule = generate_schedule(trial.design, np.random.default_rng(int(sealed.seed)))
    if list(schedule.orders) != list(sealed.orders) or schedule.nonce != sealed.nonce:
        raise TrialStateError("the stored allocation does not match its seed")
    return replace(schedule, seal=trial.seal)


def sheet_for_token(token: str) -> tuple[Trial, AllocationSheet] | None:
    """The sheet behind a pharmacist link (the view logs each showing with `record_view`)."""
    sealed = (
        SealedAllocation.objects.select_related("trial")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if sealed is None:
        return None
    return sealed.trial, allocation_sheet(_schedule(sealed.trial, sealed))


def record_view(trial: Trial) -> None:
    """One showing of the allocation sheet, listed on the patient's trial page."""
    issued = SealedAllocation.objects.only("link_issued").get(trial=trial).link_issued
    SheetView.objects.create(trial=trial, link_issued=issued)


def unblind(trial: Trial, today: dt.date) -> None:
    if trial.is_unblinded:
        return
    trial.unblinded_at = timezone.now()
    trial.unblinded_early = today <= trial.end
    trial.save(update_fields=["unblinded_at", "unblinded_early"])


def unblinded_schedule(trial: Trial) -> TrialSchedule:
    if not trial.is_unblinded:
        raise TrialStateError("the allocation stays sealed until the trial is unblinded")
    sealed = SealedAllocation.objects.get(trial=trial)
    return _schedule(trial, sealed)


@dataclass(frozen=True)
class SymptomTrialResult:
    symptom: str
    primary: bool
    result: TrialResult


@dataclass(frozen=True)
class TrialReport:
    schedule: TrialSchedule
    seal_ok: bool
    results: tuple[SymptomTrialResult, ...]
    analysed_to: dt.date


def trial_report(trial: Trial) -> TrialReport:
    """Unblinded analysis per symptom (primary first), on the days up to the unblinding."""
    schedule = unblinded_schedule(trial)
    assert trial.unblinded_at is not None
    diary = load_diary(trial.patient)
    last = min(trial.end, trial.unblinded_at.date())
    dates = [trial.start + dt.timedelta(days=i) for i in range((last - trial.start).days + 1)]
    primary = trial.primary_symptom.name if trial.primary_symptom else None
    names = sorted(diary.scores, key=lambda n: (n != primary,))
    results = []
    for name in names:
        values = np.full(len(dates), np.nan)
        if not diary.empty:
            for i, d in enumerate(dates):
                j = diary.index(d)
                if 0 <= j < len(diary.dates):
                    values[i] = diary.scores[name][j]
        results.append(
            SymptomTrialResult(name, name == primary, analyse_trial(schedule, dates, values))
        )
    return TrialReport(schedule, verify_seal(schedule), tuple(results), last)


@cache
def references() -> tuple[bibliography.Reference, ...]:
    """The N-of-1 design literature the core cites (keys in its data file, entries in the
    bibliography)."""
    where = "ldn.analysis:data/n_of_1_references.yaml"
    uses = datafiles.load("ldn.analysis", "data/n_of_1_references.yaml")["references"]
    return bibliography.resolve([u["key"] for u in uses], cited_in=where)
