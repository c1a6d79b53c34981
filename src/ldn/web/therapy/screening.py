"""Runs the safety screen over a patient's record and keeps the results.

The screen runs on every medication change, when a plan starts, on demand, and whenever what
would be screened no longer matches the last screening's fingerprint (e.g. conditions changed on
the profile page, medications imported), so the banner never shows a stale answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ldn.safety import UNSCREENED_RULES, screen, summary_lines
from ldn.web.accounts.clock import local_today, profile_of
from ldn.web.accounts.models import PatientProfile, User
from ldn.web.journal.models import Medication
from ldn.web.therapy.models import Acknowledgement, Finding, Screening

# Findings that the pack's ingredient list would settle: the page links them to the form's
# "contains" field.
ASK_CONTAINS_RULES = (
    "NOT_RECOGNISED",
    "PARTLY_RECOGNISED",
    "COMPOSITION_INCOMPLETE",
    "AMBIGUOUS_NAME",
    "INGREDIENT_NOT_SCREENED",
)
SEVERITY_ORDER = ["contraindicated", "warning", "information", "not_screened"]


def active_medications(patient: User, today: dt.date | None = None) -> list[Medication]:
    """Medications not stopped (a stop date in the future still counts as taking it)."""
    today = today or local_today(patient)
    qs = Medication.objects.filter(patient=patient, is_ldn=False)
    return list(qs.filter(Q(stopped_on__isnull=True) | Q(stopped_on__gt=today)).order_by("name"))


def profile_conditions(patient: User) -> list[str]:
    """Conditions to screen: the profile's list plus pregnancy and breast-feeding fields."""
    profile = profile_of(patient)
    if profile is None:
        return []
    out = [str(c) for c in (profile.conditions or []) if str(c).strip()]
    if profile.pregnancy == PatientProfile.Pregnancy.PREGNANT:
        out.append("pregnancy")
    if profile.breastfeeding:
        out.append("breastfeeding")
    return out


def input_key(text: str) -> str:
    return " ".join(text.lower().split())[:200]


def _fingerprint(meds: list[Medication], conditions: list[str]) -> str:
    data = {"m": [[m.pk, m.name] for m in meds], "c": conditions}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _findings(
    patient: User, meds: list[Medication], conditions: list[str], screening: Screening | None
) -> list[Finding]:
    """The core's findings as (unsaved) rows, in the core's order."""
    result = screen([m.name for m in meds], conditions)
    by_name: dict[str, Medication] = {m.name.strip(): m for m in meds}
    return [
        Finding(
            screening=screening,
            patient=patient,
            medication=by_name.get(f.input) if f.kind == "medication" else None,
            position=i,
            input=f.input[:200],
            kind=f.kind,
            matched=(f.matched or "")[:200],
            rule=f.rule,
            severity=f.severity,
            message=f.message,
            action=f.action,
            references=list(f.references),
            substance=f.substance or "",
            atc=f.atc or "",
        )
        for i, f in enumerate(result.findings)
    ]


@transaction.atomic
def run(patient: User, trigger: str) -> Screening:
    """Screen now and store every finding."""
    meds = active_medications(patient)
    conditions = profile_conditions(patient)
    screening = Screening.objects.create(
        patient=patient,
        trigger=trigger,
        medications=[m.name for m in meds],
        conditions=conditions,
        fingerprint=_fingerprint(meds, conditions),
    )
    Finding.objects.bulk_create(_findings(patient, meds, conditions, screening))
    return screening


def latest(patient: User) -> Screening | None:
    return Screening.objects.filter(patient=patient).first()


def current(patient: User) -> Screening:
    """The latest screening, re-run first if the record changed since it was made."""
    last = latest(patient)
    meds = active_medications(patient)
    if last is None or last.fingerprint != _fingerprint(meds, profile_conditions(patient)):
        return run(patient, Screening.Trigger.RECORD_CHANGED)
    return last


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    acknowledgement: Acknowledgement | None

    @property
    def unresolved_contraindication(self) -> bool:
        return self.finding.severity == "contraindicated" and self.acknowledgement is None


def _acknowledgements(patient_id: int) -> dict[tuple[str, str], Acknowledgement]:
    return {(a.input_key, a.rule): a for a in Acknowledgement.objects.filter(patient_id=patient_id)}


def findings(screening: Screening) -> list[FindingView]:
    """Findings most serious first, each with its acknowledgement if the patient gave one."""
    rows = list(screening.findings.all())
    acks = _acknowledgements(screening.patient_id)
    rows.sort(key=lambda f: (SEVERITY_ORDER.index(f.severity), f.position))
    return [FindingView(f, acks.get((input_key(f.input), f.rule))) for f in rows]


def evaluate(patient: User) -> list[FindingView]:
    """Findings for the record as it is now, without writing (safe on every GET).

    The stored screening is used while it matches the record; otherwise the core screens the
    current record in memory, so the banner is never stale.
    """
    last = latest(patient)
    meds = active_medications(patient)
    conditions = profile_conditions(patient)
    if last is not None and last.fingerprint == _fingerprint(meds, conditions):
        return findings(last)
    rows = _findings(patient, meds, conditions, None)
    rows.sort(key=lambda f: (SEVERITY_ORDER.index(f.severity), f.position))
    acks = _acknowledgements(patient.pk)
    return [FindingView(f, acks.get((input_key(f.input), f.rule))) for f in rows]


def summary(screening_row: Screening, views: list[FindingView]) -> list[str]:
    """The core's summary lines for stored findings: "N not screened - ask a pharmacist" first."""
    entries = [
        (
            v.finding.input,
            v.finding.severity,
            v.finding.severity != "not_screened" and v.finding.rule not in UNSCREENED_RULES,
        )
        for v in views
    ]
    total = len(screening_row.medications) + len(screening_row.conditions)
    return summary_lines(entries, total)


def unresolved_contraindications(patient: User) -> list[Finding]:
    """What the banner shows: contraindicated findings nobody has marked as planned.

    `evaluate()` narrowed to what the banner needs, as it runs on every page: the stored
    contraindicated findings only, and the acknowledgements only when there is one."""
    last = latest(patient)
    meds = active_medications(patient)
    conditions = profile_conditions(patient)
    if last is not None and last.fingerprint == _fingerprint(meds, conditions):
        rows = list(last.findings.filter(severity="contraindicated"))
    else:
        rows = [
            f for f in _findings(patient, meds, conditions, None) if f.severity == "contraindicated"
        ]
    if not rows:
        return []
    acks = _acknowledgements(patient.pk)
    rows.sort(key=lambda f: f.position)
    return [f for f in rows if (input_key(f.input), f.rule) not in acks]


@dataclass(frozen=True)
class BannerLine:
    """One line of the safety banner: an active ingredient (or a condition) and every product
    entered that contains it, with the first finding's explanation for the details."""

    name: str
    products: tuple[str, ...]
    headline: str  # the first sentence of the action: what not to do, always visible
    findings: tuple[Finding, ...]


def _first_sentence(text: str) -> str:
    head, dot, _rest = text.partition(". ")
    return head + "." if dot else text


def banner_lines(findings: list[Finding]) -> list[BannerLine]:
    """Group contraindications by active ingredient: tramadol once, however many tramadol products."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        key = (f.substance or f.matched or f.input).strip().lower()
        groups.setdefault(key, []).append(f)
    lines = []
    for key, group in groups.items():
        first = group[0]
        name = (first.substance or first.matched or first.input).strip()
        products = tuple(dict.fromkeys(f.input for f in group if f.input.strip().lower() != key))
        lines.append(
            BannerLine(
                name=name[:1].upper() + name[1:],
                products=products,
                headline=_first_sentence(first.action),
                findings=tuple(group),
            )
        )
    return lines


def acknowledge(finding: Finding, *, note: str, by: User) -> Acknowledgement:
    ack, _ = Acknowledgement.objects.update_or_create(
        patient_id=finding.patient_id,
        input_key=input_key(finding.input),
        rule=finding.rule,
        defaults={"note": note, "acknowledged_by": by, "acknowledged_at": timezone.now()},
    )
    return ack


def withdraw_acknowledgement(finding: Finding) -> None:
    Acknowledgement.objects.filter(
        patient_id=finding.patient_id, input_key=input_key(finding.input), rule=finding.rule
    ).delete()
